import { Option, type Command } from 'commander';
import { AppError, type Logger, createLogger } from '../kernel/index.js';
import { type Platform, parsePlatform } from '../oci/manifest/index.js';
import type { CliIo } from './io.js';

/** Commander collector for repeatable options (`--insecure a --insecure b`). */
export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

/** Parses a positive integer flag, naming the flag in the error. */
export function positiveInt(flag: string): (value: string) => number {
  return (value) => {
    const number = Number(value);
    if (!Number.isInteger(number) || number < 1)
      throw new AppError('USAGE_INVALID', `${flag} must be a positive integer, got "${value}"`);
    return number;
  };
}

/** `--platform linux/amd64,linux/arm64 --platform linux/arm/v7` → platforms. */
export function parsePlatforms(values: string[] | undefined): Platform[] | undefined {
  if (!values || values.length === 0) return undefined;
  return values
    .flatMap((v) => v.split(','))
    .filter((v) => v.trim() !== '')
    .map(parsePlatform);
}

export interface RegistryFlags {
  insecure?: string[];
  json?: boolean;
  verbose?: number;
}

/** Flags every command that talks to registries shares. */
export function addRegistryFlags(command: Command): Command {
  return command
    .addOption(
      new Option(
        '--insecure <registry>',
        'allow plain HTTP or an unverified certificate for this registry (repeatable; loopback needs none)',
      ).argParser(collect),
    )
    .option('--json', 'print machine-readable JSON on stdout')
    .option(
      '-v, --verbose',
      'log more (repeat for debug logs)',
      (_v: string, previous: number) => previous + 1,
      0,
    );
}

/** Logs go to stderr as JSON lines; quiet (warnings only) unless asked. */
export function cliLogger(io: CliIo, flags: RegistryFlags): Logger {
  const level =
    io.env.AIRLOCK_LOG_LEVEL ??
    (flags.verbose && flags.verbose > 1 ? 'debug' : flags.verbose ? 'info' : 'warn');
  return createLogger({ level, destination: { write: (line: string) => io.stderr.write(line) } });
}

export function writeJson(io: CliIo, value: unknown): void {
  io.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}
