import { type Kysely, sql } from 'kysely';
import type { AirlockSchema } from '../schema.js';
import './schema.js';

export interface StoredRun {
  id: string;
  workflow: string;
  version: number;
  status: string;
  trigger: { type: string; event?: unknown };
  inputs: Record<string, unknown>;
  startedBy: string;
  idempotencyKey: string | null;
  createdAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
  outputs: Record<string, unknown> | null;
  error: { code: string; message: string; step?: string } | null;
}

export interface StoredStep {
  runId: string;
  stepId: string;
  /** -1 when the step does not fan out. */
  index: number;
  uses: string;
  status: string;
  attempt: number;
  startedAt: Date | null;
  finishedAt: Date | null;
  outputs: Record<string, unknown> | null;
  error: { code: string; message: string } | null;
}

export interface NewRun {
  id: string;
  workflow: string;
  version: number;
  trigger: { type: string; event?: unknown };
  inputs: Record<string, unknown>;
  startedBy: string;
  idempotencyKey?: string;
}

export interface RunQuery {
  workflow?: string;
  status?: string;
  limit: number;
  before?: string;
}

const FINISHED = ['succeeded', 'failed', 'cancelled'];

/** Runs and their steps: what the API shows while DBOS keeps the execution state. */
export class PostgresRunStore {
  constructor(private readonly db: Kysely<AirlockSchema>) {}

  /** Creates a run, or returns the one created earlier with the same idempotency key. */
  async create(run: NewRun): Promise<{ run: StoredRun; created: boolean }> {
    const inserted = await this.db
      .insertInto('run')
      .values({
        id: run.id,
        workflow: run.workflow,
        version: run.version,
        status: 'queued',
        trigger: JSON.stringify(run.trigger),
        inputs: JSON.stringify(run.inputs),
        started_by: run.startedBy,
        idempotency_key: run.idempotencyKey ?? null,
        created_at: new Date(),
      })
      .onConflict((oc) => oc.column('idempotency_key').doNothing())
      .returningAll()
      .executeTakeFirst();
    if (inserted) return { run: toRun(inserted), created: true };
    const existing = await this.db
      .selectFrom('run')
      .selectAll()
      .where('idempotency_key', '=', run.idempotencyKey!)
      .executeTakeFirstOrThrow();
    return { run: toRun(existing), created: false };
  }

  async get(id: string): Promise<StoredRun | undefined> {
    const row = await this.db.selectFrom('run').selectAll().where('id', '=', id).executeTakeFirst();
    return row ? toRun(row) : undefined;
  }

  async list(query: RunQuery): Promise<StoredRun[]> {
    let q = this.db.selectFrom('run').selectAll();
    if (query.workflow) q = q.where('workflow', '=', query.workflow);
    if (query.status) q = q.where('status', '=', query.status);
    if (query.before) {
      const anchor = await this.db
        .selectFrom('run')
        .select('created_at')
        .where('id', '=', query.before)
        .executeTakeFirst();
      if (anchor) q = q.where(sql<boolean>`(created_at, id) < (${anchor.created_at}, ${query.before})`);
    }
    const rows = await q.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(query.limit).execute();
    return rows.map(toRun);
  }

  /** Moves a run to a status; a finished run never changes again. */
  async setStatus(
    id: string,
    status: string,
    fields: { outputs?: Record<string, unknown>; error?: StoredRun['error'] } = {},
  ): Promise<StoredRun | undefined> {
    const now = new Date();
    const row = await this.db
      .updateTable('run')
      .set({
        status,
        ...(status === 'running' ? { started_at: sql<Date>`coalesce(started_at, ${now})` } : {}),
        ...(FINISHED.includes(status) ? { finished_at: now } : {}),
        ...(fields.outputs !== undefined ? { outputs: JSON.stringify(fields.outputs) } : {}),
        ...(fields.error !== undefined
          ? { error: fields.error === null ? null : JSON.stringify(fields.error) }
          : {}),
      })
      .where('id', '=', id)
      .where('status', 'not in', FINISHED)
      .returningAll()
      .executeTakeFirst();
    return row ? toRun(row) : undefined;
  }

  async steps(runId: string): Promise<StoredStep[]> {
    const rows = await this.db
      .selectFrom('run_step')
      .selectAll()
      .where('run_id', '=', runId)
      .orderBy('started_at', 'asc')
      .orderBy('step_id')
      .orderBy('idx')
      .execute();
    return rows.map(toStep);
  }

  /** Records a step's state; repeated writes (a step replayed after recovery) overwrite. */
  async upsertStep(
    step: Omit<StoredStep, 'startedAt' | 'finishedAt'> & { started?: boolean; finished?: boolean },
  ): Promise<void> {
    const now = new Date();
    const values = {
      run_id: step.runId,
      step_id: step.stepId,
      idx: step.index,
      uses: step.uses,
      status: step.status,
      attempt: step.attempt,
      started_at: step.started ? now : null,
      finished_at: step.finished ? now : null,
      outputs: step.outputs === null ? null : JSON.stringify(step.outputs),
      error: step.error === null ? null : JSON.stringify(step.error),
    };
    await this.db
      .insertInto('run_step')
      .values(values)
      .onConflict((oc) =>
        oc.columns(['run_id', 'step_id', 'idx']).doUpdateSet({
          status: values.status,
          attempt: values.attempt,
          uses: values.uses,
          outputs: values.outputs,
          error: values.error,
          started_at: step.started ? sql`coalesce(run_step.started_at, ${now})` : sql`run_step.started_at`,
          finished_at: step.finished ? now : null,
        }),
      )
      .execute();
  }
}

function toRun(row: {
  id: string;
  workflow: string;
  version: number;
  status: string;
  trigger: unknown;
  inputs: unknown;
  started_by: string;
  idempotency_key: string | null;
  created_at: Date;
  started_at: Date | null;
  finished_at: Date | null;
  outputs: unknown;
  error: unknown;
}): StoredRun {
  return {
    id: row.id,
    workflow: row.workflow,
    version: row.version,
    status: row.status,
    trigger: row.trigger as StoredRun['trigger'],
    inputs: row.inputs as Record<string, unknown>,
    startedBy: row.started_by,
    idempotencyKey: row.idempotency_key,
    createdAt: row.created_at,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
    outputs: row.outputs as StoredRun['outputs'],
    error: row.error as StoredRun['error'],
  };
}

function toStep(row: {
  run_id: string;
  step_id: string;
  idx: number;
  uses: string;
  status: string;
  attempt: number;
  started_at: Date | null;
  finished_at: Date | null;
  outputs: unknown;
  error: unknown;
}): StoredStep {
  return {
    runId: row.run_id,
    stepId: row.step_id,
    index: row.idx,
    uses: row.uses,
    status: row.status,
    attempt: row.attempt,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
    outputs: row.outputs as StoredStep['outputs'],
    error: row.error as StoredStep['error'],
  };
}
