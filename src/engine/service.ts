import type { SourcePosition, WorkflowDefinition } from './definition/types.js';

/**
 * What the HTTP API and the CLI ask of the engine. The API is a thin layer over this
 * interface; the engine implements it over DBOS and Postgres.
 */
export interface EngineService {
  applyWorkflow(
    source: string,
    options: ApplyOptions,
  ): Promise<{ version: WorkflowVersion; created: boolean }>;
  listWorkflows(): Promise<WorkflowSummary[]>;
  /** A stored version; the latest when `version` is absent. */
  getWorkflow(name: string, version?: number): Promise<WorkflowVersion | undefined>;
  listWorkflowVersions(name: string): Promise<WorkflowVersionSummary[]>;

  startRun(workflow: string, options: StartRunOptions): Promise<RunSummary>;
  listRuns(filter?: RunFilter): Promise<RunSummary[]>;
  getRun(id: string): Promise<RunDetail | undefined>;
  cancelRun(id: string, actor: Actor): Promise<RunSummary>;
  /** A new run of the same workflow version with the same inputs. */
  retryRun(id: string, actor: Actor): Promise<RunSummary>;
  runLogs(id: string, options?: LogQuery): Promise<LogLine[]>;
  /** Log lines as they are written, from `afterSeq`, until the run ends or `signal` aborts. */
  followLogs(id: string, options: LogQuery & { signal: AbortSignal }): AsyncIterable<LogLine>;

  listApprovals(filter?: { status?: ApprovalStatus; runId?: string }): Promise<Approval[]>;
  decide(runId: string, decision: ApprovalDecision): Promise<Approval>;

  /** A registry event (built-in registry, CNCF distribution notifications, Harbor webhooks). */
  receiveEvent(source: EventSource, body: unknown, actor: Actor): Promise<EventOutcome>;
  listTriggers(): Promise<TriggerSummary[]>;
}

export interface Actor {
  /** Who: a token's subject (`user:alice`, `robot:ci`), `system:scheduler`, `system:webhook`. */
  subject: string;
  roles: Role[];
}

export type Role = 'viewer' | 'operator' | 'approver' | 'admin';

export interface ApplyOptions {
  /** File name for error messages (`mirror.yaml:12:5: steps[1].uses: …`). */
  file?: string;
  actor: Actor;
}

export interface WorkflowVersionSummary {
  name: string;
  version: number;
  /** sha256 of the source text: applying the same text again creates no version. */
  digest: string;
  createdAt: string;
  createdBy: string;
}

export interface WorkflowVersion extends WorkflowVersionSummary {
  source: string;
  definition: WorkflowDefinition;
}

export interface WorkflowSummary {
  name: string;
  description?: string;
  latestVersion: number;
  triggers: string[];
  updatedAt: string;
}

export interface StartRunOptions {
  inputs?: Record<string, unknown>;
  version?: number;
  actor: Actor;
  trigger?: { type: string; event?: unknown };
  /** Idempotency: a second start with the same key returns the first run. */
  idempotencyKey?: string;
}

export type RunStatus = 'queued' | 'running' | 'waiting' | 'succeeded' | 'failed' | 'cancelled';

export interface RunSummary {
  id: string;
  workflow: string;
  version: number;
  status: RunStatus;
  trigger: { type: string; event?: unknown };
  inputs: Record<string, unknown>;
  startedBy: string;
  createdAt: string;
  startedAt?: string;
  finishedAt?: string;
}

export type StepStatus =
  'pending' | 'queued' | 'running' | 'waiting' | 'succeeded' | 'failed' | 'skipped' | 'cancelled';

export interface StepRun {
  stepId: string;
  /** forEach item index. */
  index?: number;
  uses: string;
  status: StepStatus;
  attempt: number;
  startedAt?: string;
  finishedAt?: string;
  outputs?: Record<string, unknown>;
  error?: { code: string; message: string };
}

export interface RunDetail extends RunSummary {
  steps: StepRun[];
  outputs?: Record<string, unknown>;
  error?: { code: string; message: string; step?: string };
}

export interface RunFilter {
  workflow?: string;
  status?: RunStatus;
  /** Newest first; at most this many (default 50). */
  limit?: number;
  /** Runs created before this run id (pagination). */
  before?: string;
}

export interface LogQuery {
  stepId?: string;
  afterSeq?: number;
}

export interface LogLine {
  seq: number;
  at: string;
  stepId?: string;
  index?: number;
  level: 'debug' | 'info' | 'warn' | 'error';
  message: string;
  fields?: Record<string, unknown>;
}

export type ApprovalStatus = 'pending' | 'approved' | 'denied' | 'timed-out' | 'cancelled';

export interface Approval {
  runId: string;
  stepId: string;
  index?: number;
  status: ApprovalStatus;
  /** Roles or subjects allowed to decide (`role:approver`, `user:alice`). */
  approvers: string[];
  message?: string;
  requestedAt: string;
  timeoutAt?: string;
  decidedBy?: string;
  decidedAt?: string;
  reason?: string;
}

export interface ApprovalDecision {
  stepId?: string;
  decision: 'approve' | 'deny';
  reason: string;
  actor: Actor;
}

export type EventSource = 'airlock' | 'distribution' | 'harbor';

export interface EventOutcome {
  /** Events recognised in the body (a notification may carry several). */
  events: number;
  /** Events already seen (deduplicated by their id). */
  duplicates: number;
  runs: RunSummary[];
}

export interface TriggerSummary {
  workflow: string;
  version: number;
  type: string;
  description: string;
  nextFireAt?: string;
}

/** A definition that does not validate: every problem, each with where it is. */
export interface DefinitionProblem {
  path: string;
  message: string;
  position?: SourcePosition;
}
