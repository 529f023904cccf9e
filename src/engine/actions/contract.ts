import type { ZodType } from 'zod';
import type { Logger } from '../../kernel/index.js';

/**
 * The contract every action implements, built-in or user-defined: typed input and output
 * (zod schemas, also published as JSON Schema), and a `run` that gets a context with a
 * step-scoped logger (captured per step and streamable), secrets, cancellation and progress.
 *
 * Actions are idempotent where they can be (a copy that finds its digest at the destination
 * does nothing): a step whose process died is run again on recovery.
 */
export interface ActionDefinition<Input = unknown, Output = unknown> {
  /** `oci/copy`, `notify/webhook`, `exec`, … */
  name: string;
  /** `v1`; `uses: oci/copy@v1` selects it. */
  version: string;
  description: string;
  input: ZodType<Input>;
  output: ZodType<Output>;
  /**
   * The queue whose limits the step must respect (e.g. `registry:docker.io`, so that Docker
   * Hub's anonymous pull quota holds across all workers); undefined → the default queue.
   */
  queue?: (input: Input) => string | undefined;
  run(input: Input, context: ActionContext): Promise<Output>;
}

export interface ActionContext {
  runId: string;
  stepId: string;
  /** forEach item index, when the step fans out. */
  index?: number;
  /** 1 for the first attempt. */
  attempt: number;
  /** The workflow's and the step's `env`, evaluated (commands get them as environment variables). */
  env: Readonly<Record<string, string>>;
  /** Captured into the step's log (and the process log), with `run` and `step` keys. */
  logger: Logger;
  /** Cancelled when the run is cancelled or the step times out. */
  signal: AbortSignal;
  /** A secret by name; undefined when it is not configured. Values never appear in logs or outputs. */
  secret(name: string): string | undefined;
  /** Progress for live views (bytes copied, items done). */
  progress(update: ActionProgress): void;
  /** Services provided by the process (registry session, stores, …), by capability. */
  services: ActionServices;
}

export interface ActionProgress {
  message?: string;
  current?: number;
  total?: number;
  unit?: string;
}

/**
 * What actions may use of the process; each action asks only for what it needs. Kept as an
 * open record of named services so that the engine never imports the actions' dependencies.
 */
export type ActionServices = Readonly<Record<string, unknown>>;

/** Thrown by actions to say whether trying again may help (exec exit code 1 vs 2). */
export class ActionFailure extends Error {
  constructor(
    message: string,
    readonly retryable: boolean,
    readonly details: Record<string, unknown> = {},
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'ActionFailure';
  }
}

/** The actions a process knows, by `name@version`. */
export class ActionRegistry {
  private readonly actions = new Map<string, ActionDefinition<never, unknown>>();

  register<I, O>(action: ActionDefinition<I, O>): this {
    const key = `${action.name}@${action.version}`;
    if (this.actions.has(key)) throw new Error(`action ${key} is registered twice`);
    this.actions.set(key, action as unknown as ActionDefinition<never, unknown>);
    return this;
  }

  get(uses: string): ActionDefinition<unknown, unknown> | undefined {
    return this.actions.get(uses) as ActionDefinition<unknown, unknown> | undefined;
  }

  list(): ActionDefinition<unknown, unknown>[] {
    return [...this.actions.values()] as unknown as ActionDefinition<unknown, unknown>[];
  }
}
