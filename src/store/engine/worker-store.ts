import { type Kysely, sql } from 'kysely';
import type { AirlockSchema } from '../schema.js';
import './schema.js';

/** Engine processes' heartbeats, and the claim a live worker takes on a dead one's runs. */
export class PostgresWorkerStore {
  constructor(private readonly db: Kysely<AirlockSchema>) {}

  async heartbeat(worker: { executorId: string; hostname: string; pid: number }): Promise<void> {
    const now = new Date();
    await this.db
      .insertInto('engine_worker')
      .values({
        executor_id: worker.executorId,
        hostname: worker.hostname,
        pid: worker.pid,
        started_at: now,
        heartbeat_at: now,
        recovered_at: null,
      })
      .onConflict((oc) =>
        oc
          .column('executor_id')
          .doUpdateSet({ heartbeat_at: now, hostname: worker.hostname, pid: worker.pid, recovered_at: null }),
      )
      .execute();
  }

  /**
   * Claims, for `claimant`, the workers silent for longer than `staleMs` and not yet taken
   * over: each dead worker is claimed by exactly one live one (row-level update).
   */
  async claimDead(claimant: string, staleMs: number): Promise<string[]> {
    const rows = await this.db
      .updateTable('engine_worker')
      .set({ recovered_at: new Date() })
      .where('executor_id', '!=', claimant)
      .where('recovered_at', 'is', null)
      .where('heartbeat_at', '<', sql<Date>`now() - ${`${staleMs} milliseconds`}::interval`)
      .returning('executor_id')
      .execute();
    return rows.map((r) => r.executor_id);
  }

  async remove(executorId: string): Promise<void> {
    await this.db.deleteFrom('engine_worker').where('executor_id', '=', executorId).execute();
  }
}
