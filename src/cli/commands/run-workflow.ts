import type { Command } from 'commander';
import { resolveDataDir } from '../../app/data-dir.js';
import type { runWorkflowFile } from '../../app/run-service.js';
import { AppError, createLogger } from '../../kernel/index.js';
import { ExitCode, setExitCode } from '../exit-codes.js';
import type { CliIo } from '../io.js';
import { collect, writeJson } from '../options.js';
import { formatDuration } from '../render/format.js';
import { formatTable } from '../render/table.js';

interface RunFlags {
  input?: string[];
  data?: string;
  json?: boolean;
  logLevel?: string;
}

/** `airlock run FILE`: one workflow in the foreground, for CI pipelines. */
export function registerRunCommand(program: Command, io: CliIo): void {
  program
    .command('run')
    .summary('run a workflow file in the foreground')
    .description(
      'Apply a workflow file and run it in this process, printing its log as it goes and a summary at the end; the exit code says whether it succeeded (for CI pipelines). The run is durable like any other: it is recorded in the database and another worker finishes it if this process dies.',
    )
    .argument('<file>', 'workflow definition (apiVersion: airlock.dev/v1, kind: Workflow)')
    .option(
      '-i, --input <name=value>',
      'an input (repeatable); numbers, booleans and JSON lists/objects are converted to the input type',
      collect,
    )
    .option('--data <dir>', 'Airlock data directory (default $AIRLOCK_DATA_DIR, else ./.airlock)')
    .option('--json', 'print the finished run as JSON instead of the log and summary')
    .option('--log-level <level>', 'engine log level on stderr (default warn)')
    .action(async (file: string, flags: RunFlags, command: Command) => {
      const { startEngine } = await import('../../app/engine.js');
      const { runWorkflowFile } = await import('../../app/run-service.js');
      const inputs = parseInputs(flags.input ?? []);
      const logger = createLogger({ level: flags.logLevel ?? 'warn', destination: io.stderr });
      const running = await startEngine({
        dataDir: resolveDataDir(flags.data, io.env),
        env: io.env,
        logger,
        workerId: `run-${process.pid}-${Date.now().toString(36)}`,
      });
      try {
        const run = await runWorkflowFile(running.engine, file, {
          inputs,
          actor: { subject: `user:${io.env.USER ?? 'local'}`, roles: ['admin'] },
          signal: io.signal,
          onLog: (line) => {
            if (flags.json) return;
            const where = line.stepId
              ? `${line.stepId}${line.index === undefined ? '' : `[${line.index}]`}`
              : 'run';
            io.stdout.write(
              `${line.at.slice(11, 19)} ${where.padEnd(14)} ${line.level === 'info' ? '' : `${line.level}: `}${line.message}\n`,
            );
          },
        });
        if (flags.json) writeJson(io, run);
        else io.stdout.write(`${summary(run)}\n`);
        setExitCode(
          command,
          run.status === 'succeeded'
            ? ExitCode.Ok
            : run.status === 'cancelled'
              ? ExitCode.Interrupted
              : ExitCode.Failure,
        );
      } finally {
        await running.stop();
      }
    });
}

function parseInputs(pairs: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new AppError('USAGE_INVALID', `--input "${pair}": expected name=value`);
    out[pair.slice(0, eq)] = pair.slice(eq + 1);
  }
  return out;
}

function summary(run: Awaited<ReturnType<typeof runWorkflowFile>>): string {
  const rows = run.steps.map((s) => [
    `${s.stepId}${s.index === undefined ? '' : `[${s.index}]`}`,
    s.status,
    s.attempt > 1 ? String(s.attempt) : '',
    s.startedAt && s.finishedAt ? formatDuration(Date.parse(s.finishedAt) - Date.parse(s.startedAt)) : '',
    s.error ? s.error.message : '',
  ]);
  const took =
    run.startedAt && run.finishedAt
      ? ` in ${formatDuration(Date.parse(run.finishedAt) - Date.parse(run.startedAt))}`
      : '';
  const lines = [
    '',
    formatTable(['STEP', 'STATUS', 'ATTEMPTS', 'TIME', 'ERROR'], rows),
    '',
    `run ${run.id} (${run.workflow} v${run.version}) ${run.status}${took}`,
  ];
  if (run.outputs && Object.keys(run.outputs).length > 0)
    lines.push(`outputs: ${JSON.stringify(run.outputs)}`);
  if (run.error) lines.push(`error: ${run.error.message}`);
  return lines.join('\n');
}
