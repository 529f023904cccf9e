import { pino, type Logger, type LoggerOptions, type DestinationStream } from 'pino';

export type { Logger };

/** Paths pino replaces with [REDACTED] wherever they appear in a log record. */
const REDACT_PATHS = [
  'password',
  'token',
  'secret',
  'authorization',
  '*.password',
  '*.token',
  '*.secret',
  '*.authorization',
  'headers.authorization',
  'credentials',
  '*.credentials',
];

export interface CreateLoggerOptions {
  level?: string;
  /** Stable fields added to every record (e.g. `{ component: 'registry' }`). */
  base?: Record<string, unknown>;
  destination?: DestinationStream;
}

/**
 * Structured JSON logs with stable keys (registry, repository, digest, run, step) and
 * credential redaction. Level from `AIRLOCK_LOG_LEVEL` when not given.
 */
export function createLogger(options: CreateLoggerOptions = {}): Logger {
  const config: LoggerOptions = {
    level: options.level ?? process.env.AIRLOCK_LOG_LEVEL ?? 'info',
    base: options.base ?? null,
    redact: { paths: REDACT_PATHS, censor: '[REDACTED]' },
    timestamp: pino.stdTimeFunctions.isoTime,
  };
  return options.destination ? pino(config, options.destination) : pino(config);
}

/** A logger that drops everything; the default for library calls made without one. */
export const silentLogger: Logger = pino({ level: 'silent' });
