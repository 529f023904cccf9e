import { Command, CommanderError } from 'commander';
import { ExitCode, exitCodeFor } from './exit-codes.js';
import type { CliIo } from './io.js';
import { formatError } from './render/error.js';
import { registerCommands } from './commands/index.js';

import { VERSION } from './version.js';

export { VERSION };

/** Builds the command tree; commands register themselves with the shared io. */
export function buildProgram(io: CliIo): Command {
  const program = new Command('airlock')
    .description(
      'Airlock: mirror, validate and promote container images through a quarantine into a golden registry.',
    )
    .version(VERSION, '-V, --version')
    .showSuggestionAfterError(true)
    // Options belong to the command they follow: `scan import --format trivy` is import's
    // --format, not scan's (commander otherwise lets a parent take its options anywhere).
    .enablePositionalOptions()
    .exitOverride()
    .configureOutput({
      writeOut: (s) => io.stdout.write(s),
      writeErr: (s) => io.stderr.write(s),
    });
  registerCommands(program, io);
  return program;
}

/** Runs the CLI and returns the process exit code; never throws. */
export async function main(argv: string[], io: CliIo): Promise<number> {
  const program = buildProgram(io);
  let exitCode: number = ExitCode.Ok;
  program.hook('postAction', (_this, action) => {
    const code = (action as Command & { exitCode?: number }).exitCode;
    if (typeof code === 'number') exitCode = code;
  });
  try {
    await program.parseAsync(argv, { from: 'user' });
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and version output end with exit code 0; argument errors were already printed.
      return error.exitCode === 0 ? ExitCode.Ok : ExitCode.Usage;
    }
    io.stderr.write(`${formatError(error, Boolean(io.env.AIRLOCK_DEBUG))}\n`);
    return exitCodeFor(error);
  }
}
