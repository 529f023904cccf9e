import { Option, type Command } from 'commander';
import type { RunDetailBody, RunSummaryBody } from '../../api/index.js';
import { AppError } from '../../kernel/index.js';
import type { ApiClient } from '../api-client.js';
import { type ApiFlags, addApiFlags, apiClientFor } from '../api-flags.js';
import { ExitCode, setExitCode } from '../exit-codes.js';
import { type CliIo, print } from '../io.js';
import { collect, positiveInt, writeJson } from '../options.js';
import { formatTable } from '../render/table.js';
import { describeEnd, formatLogLine, formatTime, runDuration } from './runs-render.js';

const RUN_STATUSES = ['queued', 'running', 'waiting', 'succeeded', 'failed', 'cancelled'];

interface StartFlags extends ApiFlags {
  input?: string[];
  version?: number;
  follow?: boolean;
  idempotencyKey?: string;
}

interface ListFlags extends ApiFlags {
  workflow?: string;
  status?: string;
  limit?: number;
  before?: string;
}

interface LogsFlags extends ApiFlags {
  follow?: boolean;
  step?: string;
}

/** `airlock runs`: start, list, show, follow, cancel and retry runs through the API. */
export function registerRunsCommand(program: Command, io: CliIo): void {
  const runs = program
    .command('runs')
    .description('Workflow runs on an Airlock server: start, list, show, logs, cancel, retry');
  registerStart(runs, io);
  registerList(runs, io);
  registerShow(runs, io);
  registerLogs(runs, io);
  registerCancel(runs, io);
  registerRetry(runs, io);
}

function registerStart(runs: Command, io: CliIo): void {
  const command = runs
    .command('start')
    .description(
      'Start a run of a workflow. Input values are strings the server reads as the declared type (3, true, JSON). ' +
        'With --follow, print its log until it ends; the exit code is then 1 unless the run succeeded.',
    )
    .argument('<workflow>', 'workflow name')
    .option('-i, --input <name=value>', 'an input value (repeatable)', collect)
    .option('--version <n>', 'run this version instead of the latest', positiveInt('--version'))
    .option('--idempotency-key <key>', 'a repeated start with the same key returns the first run')
    .option('-f, --follow', 'print the log as it is written until the run ends');
  addApiFlags(command).action(async (workflow: string, flags: StartFlags, self: Command) => {
    const client = await apiClientFor(flags, io);
    const run = await client.startRun(
      {
        workflow,
        inputs: parseInputs(flags.input),
        version: flags.version,
        idempotencyKey: flags.idempotencyKey,
      },
      { signal: io.signal },
    );
    if (flags.json && !flags.follow) writeJson(io, run);
    else
      print(
        flags.json ? io.stderr : io.stdout,
        `started run ${run.id} (${run.workflow} version ${run.version})`,
      );
    if (flags.follow) await follow(client, run.id, flags, io, self);
  });
}

function registerList(runs: Command, io: CliIo): void {
  const command = runs
    .command('list')
    .alias('ls')
    .description('List runs, newest first')
    .option('--workflow <name>', 'only runs of this workflow')
    .addOption(new Option('--status <status>', 'only runs in this status').choices(RUN_STATUSES))
    .option('--limit <n>', 'at most this many (default 50)', positiveInt('--limit'))
    .option('--before <run-id>', 'runs created before this one (the next page)');
  addApiFlags(command).action(async (flags: ListFlags) => {
    const page = await (
      await apiClientFor(flags, io)
    ).listRuns(
      { workflow: flags.workflow, status: flags.status, limit: flags.limit, before: flags.before },
      { signal: io.signal },
    );
    if (flags.json) return writeJson(io, page);
    if (page.runs.length === 0) return print(io.stderr, 'no runs');
    print(io.stdout, runsTable(page.runs));
    if (page.next) print(io.stderr, `more: --before ${page.next}`);
  });
}

function registerShow(runs: Command, io: CliIo): void {
  const command = runs
    .command('show')
    .description('Show a run: status, inputs, steps, outputs, error')
    .argument('<run-id>');
  addApiFlags(command).action(async (id: string, flags: ApiFlags) => {
    const run = await (await apiClientFor(flags, io)).getRun(id, { signal: io.signal });
    if (flags.json) writeJson(io, run);
    else print(io.stdout, describeRun(run));
  });
}

function registerLogs(runs: Command, io: CliIo): void {
  const command = runs
    .command('logs')
    .description(
      "Print a run's log; with --follow, as it is written until the run ends (exit code 1 unless it succeeded)",
    )
    .argument('<run-id>')
    .option('--step <id>', 'only this step')
    .option('-f, --follow', 'keep printing until the run ends');
  addApiFlags(command).action(async (id: string, flags: LogsFlags, self: Command) => {
    const client = await apiClientFor(flags, io);
    if (flags.follow) return follow(client, id, flags, io, self);
    const { lines } = await client.runLogs(id, { step: flags.step }, { signal: io.signal });
    if (flags.json) writeJson(io, lines);
    else for (const line of lines) print(io.stdout, formatLogLine(line));
  });
}

function registerCancel(runs: Command, io: CliIo): void {
  const command = runs
    .command('cancel')
    .description('Cancel a run; its running steps are cancelled')
    .argument('<run-id>');
  addApiFlags(command).action(async (id: string, flags: ApiFlags) => {
    const run = await (await apiClientFor(flags, io)).cancelRun(id, { signal: io.signal });
    if (flags.json) writeJson(io, run);
    else print(io.stdout, `run ${run.id} ${run.status}`);
  });
}

function registerRetry(runs: Command, io: CliIo): void {
  const command = runs
    .command('retry')
    .description('Start a new run of the same workflow version with the same inputs')
    .argument('<run-id>')
    .option('-f, --follow', "print the new run's log until it ends");
  addApiFlags(command).action(async (id: string, flags: LogsFlags, self: Command) => {
    const client = await apiClientFor(flags, io);
    const run = await client.retryRun(id, { signal: io.signal });
    if (flags.json && !flags.follow) writeJson(io, run);
    else print(flags.json ? io.stderr : io.stdout, `started run ${run.id} (retry of ${id})`);
    if (flags.follow) await follow(client, run.id, flags, io, self);
  });
}

/** Prints the log until the run ends; a run that did not succeed makes the exit code 1. */
async function follow(
  client: ApiClient,
  id: string,
  flags: LogsFlags,
  io: CliIo,
  self: Command,
): Promise<void> {
  for await (const event of client.followLogs(id, { step: flags.step, signal: io.signal })) {
    if (event.type === 'log') {
      print(io.stdout, flags.json ? JSON.stringify(event.line) : formatLogLine(event.line));
      continue;
    }
    print(io.stderr, describeEnd(id, event));
    if (event.status !== 'succeeded') setExitCode(self, ExitCode.Failure);
  }
}

/** `--input tag=22 --input platforms=["linux/amd64"]` → `{ tag: '22', platforms: '["linux/amd64"]' }`. */
export function parseInputs(values: string[] | undefined): Record<string, string> | undefined {
  if (!values || values.length === 0) return undefined;
  const inputs: Record<string, string> = {};
  for (const value of values) {
    const equals = value.indexOf('=');
    if (equals <= 0) throw new AppError('USAGE_INVALID', `--input must be name=value, got "${value}"`);
    inputs[value.slice(0, equals)] = value.slice(equals + 1);
  }
  return inputs;
}

function runsTable(runs: RunSummaryBody[]): string {
  return formatTable(
    ['RUN', 'WORKFLOW', 'VERSION', 'STATUS', 'TRIGGER', 'STARTED BY', 'CREATED', 'DURATION'],
    runs.map((r) => [
      r.id,
      r.workflow,
      String(r.version),
      r.status,
      r.trigger.type,
      r.startedBy,
      formatTime(r.createdAt),
      runDuration(r),
    ]),
  );
}

function describeRun(run: RunDetailBody): string {
  const lines = [
    `Run:       ${run.id}`,
    `Workflow:  ${run.workflow} (version ${run.version})`,
    `Status:    ${run.status}${run.error ? ` — ${run.error.step ? `step ${run.error.step}: ` : ''}${run.error.message} [${run.error.code}]` : ''}`,
    `Trigger:   ${run.trigger.type}, by ${run.startedBy}`,
    `Created:   ${formatTime(run.createdAt)}${run.finishedAt ? `, finished ${formatTime(run.finishedAt)} (${runDuration(run)})` : ''}`,
  ];
  if (Object.keys(run.inputs).length > 0) lines.push(`Inputs:    ${JSON.stringify(run.inputs)}`);
  if (run.outputs && Object.keys(run.outputs).length > 0)
    lines.push(`Outputs:   ${JSON.stringify(run.outputs)}`);
  lines.push(
    '',
    formatTable(
      ['STEP', 'USES', 'STATUS', 'ATTEMPT', 'DURATION', 'ERROR'],
      run.steps.map((s) => [
        s.index === undefined ? s.stepId : `${s.stepId}[${s.index}]`,
        s.uses,
        s.status,
        s.attempt > 0 ? String(s.attempt) : '',
        runDuration(s),
        s.error ? `${s.error.message} [${s.error.code}]` : '',
      ]),
    ),
  );
  return lines.join('\n');
}
