import { Writable } from 'node:stream';
import { type Logger, createLogger, secretMasker } from '../../kernel/index.js';
import type { NewLogLine } from '../../store/index.js';

export interface LogWriter {
  append(lines: NewLogLine[]): Promise<void>;
}

const LEVELS: Record<number, NewLogLine['level']> = {
  10: 'debug',
  20: 'debug',
  30: 'info',
  40: 'warn',
  50: 'error',
  60: 'error',
};
/** Lines are written in batches: at most this long after they were logged… */
const FLUSH_MS = 250;
/** …or as soon as this many are waiting. */
const FLUSH_LINES = 200;
/** A log message longer than this is cut (a step printing a whole SBOM must not bloat the database). */
const MAX_MESSAGE = 16 * 1024;

/**
 * Step-scoped loggers whose lines go into the run's log (for `runs logs` and the live
 * stream) and to the process log, with every configured secret value replaced by `***`.
 */
export class StepLogSink {
  private pending: NewLogLine[] = [];
  private timer: NodeJS.Timeout | undefined;
  private writing: Promise<void> = Promise.resolve();

  constructor(
    private readonly writer: LogWriter,
    private readonly processLogger: Logger,
  ) {}

  logger(context: { runId: string; stepId: string; index?: number; secrets: string[] }): {
    logger: Logger;
    flush(): Promise<void>;
  } {
    const redact = secretMasker(context.secrets);
    const destination = new Writable({
      write: (chunk: Buffer, _encoding, callback) => {
        this.accept(chunk.toString('utf8'), context, redact);
        callback();
      },
    });
    const logger = createLogger({
      level: 'debug',
      base: {
        run: context.runId,
        step: context.stepId,
        ...(context.index === undefined ? {} : { index: context.index }),
      },
      destination,
    });
    return { logger, flush: () => this.flush() };
  }

  async flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const lines = this.pending;
    this.pending = [];
    if (lines.length > 0) {
      this.writing = this.writing
        .then(() => this.writer.append(lines))
        .catch((error: unknown) => {
          this.processLogger.warn({ err: (error as Error).message }, 'could not store step log lines');
        });
    }
    await this.writing;
  }

  private accept(
    line: string,
    context: { runId: string; stepId: string; index?: number },
    redact: (text: string) => string,
  ): void {
    let record: Record<string, unknown>;
    try {
      record = JSON.parse(redact(line)) as Record<string, unknown>;
    } catch {
      return;
    }
    const { level, time, msg, run: _run, step: _step, index: _index, ...fields } = record;
    const message = String(msg ?? '').slice(0, MAX_MESSAGE);
    const entry: NewLogLine = {
      runId: context.runId,
      at: typeof time === 'string' ? new Date(time) : new Date(),
      stepId: context.stepId,
      index: context.index ?? null,
      level: LEVELS[Number(level)] ?? 'info',
      message,
      fields: Object.keys(fields).length > 0 ? fields : null,
    };
    this.processLogger[entry.level as 'debug' | 'info' | 'warn' | 'error'](
      { run: context.runId, step: context.stepId, ...fields },
      message,
    );
    this.pending.push(entry);
    if (this.pending.length >= FLUSH_LINES) void this.flush();
    else this.timer ??= setTimeout(() => void this.flush(), FLUSH_MS);
  }
}
