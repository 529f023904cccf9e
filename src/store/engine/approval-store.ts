import type { Kysely } from 'kysely';
import type { AirlockSchema } from '../schema.js';
import './schema.js';

export interface StoredApproval {
  runId: string;
  stepId: string;
  index: number;
  status: string;
  approvers: string[];
  message: string | null;
  requestedAt: Date;
  timeoutAt: Date | null;
  decidedBy: string | null;
  decidedAt: Date | null;
  reason: string | null;
  /** Durable workflow id waiting for the decision. */
  waiter: string;
}

/** Approval requests and their decisions; a decision is taken once (the first wins). */
export class PostgresApprovalStore {
  constructor(private readonly db: Kysely<AirlockSchema>) {}

  /** Records a pending approval; a replay after recovery keeps the existing row. */
  async request(
    approval: Omit<StoredApproval, 'status' | 'decidedBy' | 'decidedAt' | 'reason'>,
  ): Promise<StoredApproval> {
    await this.db
      .insertInto('approval')
      .values({
        run_id: approval.runId,
        step_id: approval.stepId,
        idx: approval.index,
        status: 'pending',
        approvers: approval.approvers,
        message: approval.message,
        requested_at: approval.requestedAt,
        timeout_at: approval.timeoutAt,
        waiter: approval.waiter,
      })
      .onConflict((oc) => oc.columns(['run_id', 'step_id', 'idx']).doNothing())
      .execute();
    return (await this.get(approval.runId, approval.stepId, approval.index))!;
  }

  async get(runId: string, stepId: string, index: number): Promise<StoredApproval | undefined> {
    const row = await this.db
      .selectFrom('approval')
      .selectAll()
      .where('run_id', '=', runId)
      .where('step_id', '=', stepId)
      .where('idx', '=', index)
      .executeTakeFirst();
    return row ? toApproval(row) : undefined;
  }

  async list(filter: { status?: string; runId?: string } = {}): Promise<StoredApproval[]> {
    let q = this.db.selectFrom('approval').selectAll();
    if (filter.status) q = q.where('status', '=', filter.status);
    if (filter.runId) q = q.where('run_id', '=', filter.runId);
    return (await q.orderBy('requested_at').execute()).map(toApproval);
  }

  /** Decides a pending approval; undefined when it was already decided (or timed out). */
  async decide(
    runId: string,
    stepId: string,
    index: number,
    decision: { status: 'approved' | 'denied' | 'timed-out'; by: string; reason: string | null },
  ): Promise<StoredApproval | undefined> {
    const row = await this.db
      .updateTable('approval')
      .set({
        status: decision.status,
        decided_by: decision.by,
        decided_at: new Date(),
        reason: decision.reason,
      })
      .where('run_id', '=', runId)
      .where('step_id', '=', stepId)
      .where('idx', '=', index)
      .where('status', '=', 'pending')
      .returningAll()
      .executeTakeFirst();
    return row ? toApproval(row) : undefined;
  }

  /** Closes a run's pending approvals (the run was cancelled): nobody can decide them any more. */
  async cancelPending(runId: string, by: string): Promise<number> {
    const rows = await this.db
      .updateTable('approval')
      .set({ status: 'cancelled', decided_by: by, decided_at: new Date(), reason: 'run cancelled' })
      .where('run_id', '=', runId)
      .where('status', '=', 'pending')
      .returning('step_id')
      .execute();
    return rows.length;
  }
}

function toApproval(row: {
  run_id: string;
  step_id: string;
  idx: number;
  status: string;
  approvers: string[];
  message: string | null;
  requested_at: Date;
  timeout_at: Date | null;
  decided_by: string | null;
  decided_at: Date | null;
  reason: string | null;
  waiter: string;
}): StoredApproval {
  return {
    runId: row.run_id,
    stepId: row.step_id,
    index: row.idx,
    status: row.status,
    approvers: row.approvers,
    message: row.message,
    requestedAt: row.requested_at,
    timeoutAt: row.timeout_at,
    decidedBy: row.decided_by,
    decidedAt: row.decided_at,
    reason: row.reason,
    waiter: row.waiter,
  };
}
