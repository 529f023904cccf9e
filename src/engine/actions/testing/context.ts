import { createLogger } from '../../../kernel/index.js';
import type { ActionContext, ActionProgress, ActionServices } from '../contract.js';

/** One record the step logger wrote, as pino serialised it. */
export interface CapturedLog {
  level: number;
  msg: string;
  [key: string]: unknown;
}

export interface CreateTestContextOptions {
  runId?: string;
  stepId?: string;
  index?: number;
  attempt?: number;
  /** Secrets by name; names not listed are "not configured". */
  secrets?: Record<string, string>;
  /** The step's evaluated `env`. */
  env?: Record<string, string>;
  services?: ActionServices;
  /** Combined with the context's own controller (see `abort`). */
  signal?: AbortSignal;
}

export interface TestActionContext {
  context: ActionContext;
  /** Everything logged through `context.logger`, oldest first. */
  logs: CapturedLog[];
  /** Every `context.progress` update, oldest first. */
  progress: ActionProgress[];
  /** Cancels the step, as a cancelled run or a step time-out would. */
  abort(reason?: unknown): void;
  /** The `msg` of every captured record, for quick assertions. */
  messages(): string[];
  /** The full text of the captured log, to assert that a secret never appears in it. */
  logText(): string;
}

/** pino's numeric level for `warn`; tests filter on it. */
export const WARN_LEVEL = 40;

/**
 * An ActionContext for tests of actions: a real pino logger whose records are captured,
 * progress captured, secrets from a plain map, and a controller to cancel the step.
 */
export function createTestContext(options: CreateTestContextOptions = {}): TestActionContext {
  const logs: CapturedLog[] = [];
  const lines: string[] = [];
  const progress: ActionProgress[] = [];
  const controller = new AbortController();
  const signal = options.signal ? AbortSignal.any([controller.signal, options.signal]) : controller.signal;
  const runId = options.runId ?? 'run-test';
  const stepId = options.stepId ?? 'step-test';
  const logger = createLogger({
    level: 'debug',
    base: { run: runId, step: stepId },
    destination: {
      write(line: string) {
        lines.push(line);
        logs.push(JSON.parse(line) as CapturedLog);
      },
    },
  });
  const secrets = new Map(Object.entries(options.secrets ?? {}));
  const context: ActionContext = {
    runId,
    stepId,
    attempt: options.attempt ?? 1,
    env: options.env ?? {},
    logger,
    signal,
    secret: (name) => secrets.get(name),
    progress: (update) => progress.push({ ...update }),
    services: options.services ?? {},
  };
  if (options.index !== undefined) context.index = options.index;
  return {
    context,
    logs,
    progress,
    abort: (reason?: unknown) => controller.abort(reason),
    messages: () => logs.map((record) => record.msg),
    logText: () => lines.join(''),
  };
}
