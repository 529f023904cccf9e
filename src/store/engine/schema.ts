import type { ColumnType, Generated, JSONColumnType } from 'kysely';

type Timestamp = ColumnType<Date, Date | string, Date | string>;
type Json<T extends object | null> = JSONColumnType<T>;

/** One immutable version of a workflow definition. Migration 0200. */
export interface WorkflowVersionTable {
  name: string;
  version: number;
  /** sha256 of the source text. */
  digest: string;
  source: string;
  definition: Json<Record<string, unknown>>;
  created_at: Timestamp;
  created_by: string;
}

export interface RunTable {
  id: string;
  workflow: string;
  version: number;
  status: string;
  trigger: Json<{ type: string; event?: unknown }>;
  inputs: Json<Record<string, unknown>>;
  started_by: string;
  idempotency_key: string | null;
  created_at: Timestamp;
  started_at: Timestamp | null;
  finished_at: Timestamp | null;
  outputs: Json<Record<string, unknown>> | null;
  error: Json<{ code: string; message: string; step?: string }> | null;
}

export interface RunStepTable {
  run_id: string;
  step_id: string;
  /** forEach item index; -1 for a step that does not fan out. */
  idx: number;
  uses: string;
  status: string;
  attempt: number;
  started_at: Timestamp | null;
  finished_at: Timestamp | null;
  outputs: Json<Record<string, unknown>> | null;
  error: Json<{ code: string; message: string }> | null;
}

export interface RunLogTable {
  seq: Generated<string>;
  run_id: string;
  at: Timestamp;
  step_id: string | null;
  idx: number | null;
  level: string;
  message: string;
  fields: Json<Record<string, unknown>> | null;
}

export interface ApprovalTable {
  run_id: string;
  step_id: string;
  idx: number;
  status: string;
  approvers: string[];
  message: string | null;
  requested_at: Timestamp;
  timeout_at: Timestamp | null;
  decided_by: string | null;
  decided_at: Timestamp | null;
  reason: string | null;
  /** The durable workflow waiting for the decision. */
  waiter: string;
}

/** Events already turned into runs, so that a redelivered notification starts nothing. */
export interface TriggerEventTable {
  id: string;
  received_at: Timestamp;
}

/** Engine processes and when each was last alive, to find dead workers and take over their runs. */
export interface EngineWorkerTable {
  executor_id: string;
  hostname: string;
  pid: number;
  started_at: Timestamp;
  heartbeat_at: Timestamp;
  recovered_at: Timestamp | null;
}

declare module '../schema.js' {
  interface AirlockSchema {
    workflow_version: WorkflowVersionTable;
    run: RunTable;
    run_step: RunStepTable;
    run_log: RunLogTable;
    approval: ApprovalTable;
    trigger_event: TriggerEventTable;
    engine_worker: EngineWorkerTable;
  }
}
