/**
 * The durable operations the run interpreter needs, so that it does not depend on DBOS:
 * `engine/dbos/` implements them over DBOS Transact; tests use an in-memory implementation.
 *
 * Determinism rule: during a replay after a crash, the interpreter must call these in the
 * same order as the first time. Everything whose outcome depends on timing (which of several
 * children finished first) goes through `waitFirst`, whose answer is recorded.
 */
export interface DurableContext {
  /** This durable workflow's id (the run id, or `<run>/<step>[/<index>]` for children). */
  readonly workflowId: string;
  /** Runs `fn` once; on replay returns its recorded result (or throws its recorded error). */
  step<T>(name: string, fn: () => Promise<T>): Promise<T>;
  /** Starts a child durable function with a deterministic id; starting it again returns the same child. */
  startChild(call: ChildCall, options?: { queue?: string }): Promise<ChildHandle>;
  /** Waits until one of the children is done; which one is recorded. */
  waitFirst(handles: ChildHandle[]): Promise<ChildHandle>;
  /** The result of a finished child. Children never throw: they return an {@link Outcome}. */
  result<T>(handle: ChildHandle): Promise<T>;
  /** Waits for a message on a topic (approvals), at most `timeoutMs`; null on time-out. */
  recv<T>(topic: string, timeoutMs: number): Promise<T | null>;
  /** A durable sleep: a restart during it sleeps only the rest. */
  sleep(ms: number): Promise<void>;
}

export interface ChildHandle {
  readonly id: string;
}

/** What a child durable function does; arguments are plain JSON. */
export type ChildCall =
  | { kind: 'node'; id: string; runId: string; stepId: string; scope: SerializedScope }
  | {
      kind: 'item';
      id: string;
      runId: string;
      stepId: string;
      index: number;
      item: unknown;
      scope: SerializedScope;
    }
  | {
      kind: 'attempt';
      id: string;
      runId: string;
      stepId: string;
      index: number;
      attempt: number;
      last: boolean;
      input: unknown;
      /** The step's evaluated environment (workflow `env` and step `env`). */
      env?: Record<string, string>;
    };

/** The parts of an expression scope a child needs, without secrets (looked up where used). */
export interface SerializedScope {
  inputs: Record<string, unknown>;
  steps: Record<string, { outputs: Record<string, unknown>; status: string; conclusion?: string }>;
  env: Record<string, string>;
  run: { id: string; workflow: string; version: number; startedAt: string; attempt: number };
  trigger: { type: string; event: unknown };
}

/** How a unit of work ended, as a value (durable children and recorded steps never throw). */
export type Outcome<T> = { ok: true; value: T } | { ok: false; error: FailureInfo };

export interface FailureInfo {
  code: string;
  message: string;
  retryable: boolean;
  /** The step the failure happened in. */
  step?: string;
  /** How long the other side asked us to wait before trying again (HTTP Retry-After). */
  retryAfterMs?: number;
}
