import { readInputFile } from '../../app/read-input.js';
import { basename } from 'node:path';
import type { Command } from 'commander';
import { AppError } from '../../kernel/index.js';
import { type ApiFlags, addApiFlags, apiClientFor } from '../api-flags.js';
import { ExitCode, exitCodeFor, setExitCode } from '../exit-codes.js';
import { type CliIo, print } from '../io.js';
import { positiveInt, writeJson } from '../options.js';
import { formatError } from '../render/error.js';
import { plural } from '../render/format.js';
import { formatTable } from '../render/table.js';
import { formatTime } from './runs-render.js';

interface ShowFlags extends ApiFlags {
  version?: number;
}

/** `airlock workflow`: apply definitions to a server and read them back. */
export function registerWorkflowCommand(program: Command, io: CliIo): void {
  const workflow = program
    .command('workflow')
    .description(
      'Workflow definitions: validate files offline; apply, list, show and version them on an Airlock server',
    );
  registerValidate(workflow, io);
  registerApply(workflow, io);
  registerList(workflow, io);
  registerShow(workflow, io);
  registerVersions(workflow, io);
}

function registerValidate(workflow: Command, io: CliIo): void {
  workflow
    .command('validate')
    .description(
      'Check workflow files offline, as a server would before storing them (schema, expressions, steps, ' +
        'triggers, action names); every problem is printed with file, line and column. Exit code 2 when one is invalid.',
    )
    .argument('<file...>', 'workflow YAML files')
    .option('--json', 'print a JSON array of results')
    .action(async (files: string[], flags: { json?: boolean }, self: Command) => {
      const results: { file: string; valid: boolean; name?: string; steps?: number; problems?: unknown }[] =
        [];
      const failures: unknown[] = [];
      const { checkWorkflowSource } = await import('../../app/workflow-check.js');
      for (const file of files) {
        try {
          const definition = checkWorkflowSource(await readInputFile(file), file);
          results.push({ file, valid: true, name: definition.name, steps: definition.steps.length });
          if (!flags.json)
            print(
              io.stdout,
              `${file}: ok (workflow ${definition.name}, ${plural(definition.steps.length, 'step')}, ` +
                `triggers: ${definition.on.map((t) => t.type).join(', ')})`,
            );
        } catch (error) {
          failures.push(error);
          results.push({
            file,
            valid: false,
            problems: error instanceof AppError ? (error.details?.problems ?? error.message) : String(error),
          });
          if (!flags.json) io.stderr.write(`${formatError(error, Boolean(io.env.AIRLOCK_DEBUG))}\n`);
        }
      }
      if (flags.json) writeJson(io, results);
      if (failures.length > 0) setExitCode(self, exitCodeFor(failures[0]));
    });
}

function registerApply(workflow: Command, io: CliIo): void {
  const command = workflow
    .command('apply')
    .description(
      'Validate and store each file as the next version of its workflow; a file equal to the latest version changes nothing. ' +
        'Every file is tried; the exit code is 5 when some failed, or that of the failure when all did.',
    )
    .argument('<file...>', 'workflow YAML files');
  addApiFlags(command).action(async (files: string[], flags: ApiFlags, self: Command) => {
    const client = await apiClientFor(flags, io);
    const results: unknown[] = [];
    const failures: unknown[] = [];
    for (const file of files) {
      try {
        const source = await readInputFile(file);
        const result = await client.applyWorkflow(source, basename(file), { signal: io.signal });
        results.push({ file, ...result });
        const { name, version } = result.version;
        if (!flags.json)
          print(
            io.stdout,
            result.created
              ? `${name}: version ${version} created`
              : `${name}: unchanged (version ${version})`,
          );
      } catch (error) {
        if (io.signal.aborted) throw error;
        failures.push(error);
        io.stderr.write(`${formatError(error, Boolean(io.env.AIRLOCK_DEBUG))}\n`);
      }
    }
    if (flags.json) writeJson(io, results);
    if (failures.length > 0)
      setExitCode(self, failures.length === files.length ? exitCodeFor(failures[0]) : ExitCode.Partial);
  });
}

function registerList(workflow: Command, io: CliIo): void {
  const command = workflow
    .command('list')
    .alias('ls')
    .description('List workflows with their latest version');
  addApiFlags(command).action(async (flags: ApiFlags) => {
    const { workflows } = await (await apiClientFor(flags, io)).listWorkflows({ signal: io.signal });
    if (flags.json) return writeJson(io, workflows);
    if (workflows.length === 0)
      return print(io.stderr, 'no workflows: apply one with "airlock workflow apply FILE"');
    print(
      io.stdout,
      formatTable(
        ['NAME', 'VERSION', 'TRIGGERS', 'UPDATED', 'DESCRIPTION'],
        workflows.map((w) => [
          w.name,
          String(w.latestVersion),
          w.triggers.join(','),
          formatTime(w.updatedAt),
          w.description ?? '',
        ]),
      ),
    );
  });
}

function registerShow(workflow: Command, io: CliIo): void {
  const command = workflow
    .command('show')
    .description('Print a version of a workflow (the latest by default): where it came from, then its YAML')
    .argument('<name>')
    .option('--version <n>', 'this version', positiveInt('--version'));
  addApiFlags(command).action(async (name: string, flags: ShowFlags) => {
    const version = await (
      await apiClientFor(flags, io)
    ).getWorkflow(name, flags.version, { signal: io.signal });
    if (flags.json) return writeJson(io, version);
    print(
      io.stderr,
      `# ${version.name} version ${version.version}, ${version.digest}, by ${version.createdBy} at ${version.createdAt}`,
    );
    io.stdout.write(version.source.endsWith('\n') ? version.source : `${version.source}\n`);
  });
}

function registerVersions(workflow: Command, io: CliIo): void {
  const command = workflow
    .command('versions')
    .description('List the versions of a workflow')
    .argument('<name>');
  addApiFlags(command).action(async (name: string, flags: ApiFlags) => {
    const { versions } = await (
      await apiClientFor(flags, io)
    ).listWorkflowVersions(name, { signal: io.signal });
    if (flags.json) return writeJson(io, versions);
    print(
      io.stdout,
      formatTable(
        ['VERSION', 'CREATED', 'BY', 'DIGEST'],
        versions.map((v) => [String(v.version), formatTime(v.createdAt), v.createdBy, v.digest]),
      ),
    );
  });
}
