import type { Logger } from '../../kernel/index.js';
import type { ActionRegistry, ActionServices } from '../actions/contract.js';
import type { StepDefinition, WorkflowDefinition } from '../definition/types.js';

/** A run as the interpreter needs it: its definition version, inputs and trigger, and its step graph. */
export interface RunPlan {
  runId: string;
  workflow: string;
  version: number;
  definition: WorkflowDefinition;
  inputs: Record<string, unknown>;
  trigger: { type: string; event?: unknown };
  createdAt: string;
  /** Steps in deterministic order (topological, file order among peers). */
  order: string[];
  /** Every step's prerequisites: explicit `needs` plus steps its expressions reference. */
  dependencies: Record<string, string[]>;
}

/** What the interpreter does to the outside world; every write is idempotent (replays repeat them). */
export interface RunRecorder {
  runStarted(runId: string): Promise<void>;
  runWaiting(runId: string, waiting: boolean): Promise<void>;
  runFinished(
    runId: string,
    status: 'succeeded' | 'failed' | 'cancelled',
    fields: { outputs?: Record<string, unknown>; error?: { code: string; message: string; step?: string } },
  ): Promise<void>;
  stepState(state: {
    runId: string;
    stepId: string;
    index?: number;
    uses: string;
    status: string;
    attempt: number;
    started?: boolean;
    finished?: boolean;
    outputs?: Record<string, unknown> | null;
    error?: { code: string; message: string } | null;
  }): Promise<void>;
  requestApproval(request: {
    runId: string;
    stepId: string;
    index?: number;
    approvers: string[];
    message?: string;
    timeoutAt?: Date;
    waiter: string;
  }): Promise<void>;
  approvalTimedOut(runId: string, stepId: string, index?: number): Promise<void>;
}

/** Step-scoped log lines, captured into the run's log. */
export interface StepLogs {
  logger(context: { runId: string; stepId: string; index?: number; secrets: string[] }): {
    logger: Logger;
    flush(): Promise<void>;
  };
}

export interface RunEnvironment {
  loadPlan(runId: string): Promise<RunPlan>;
  recorder: RunRecorder;
  logs: StepLogs;
  actions: ActionRegistry;
  services: ActionServices;
  /** Configured secrets by name (values never logged). */
  secrets(): Record<string, string>;
  /** Environment visible to expressions (`env.X`): the workflow's and the step's `env` plus allowed process variables. */
  processEnv(): Record<string, string>;
  /** Cancellation of in-flight work of a run in this process. */
  cancellation(runId: string): AbortSignal;
  logger: Logger;
  /** The queue a step's attempts run on (DBOS queue name), or undefined to run in line. */
  queueFor(step: StepDefinition, input: unknown): string | undefined;
}
