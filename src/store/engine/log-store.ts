import type { Kysely } from 'kysely';
import type { AirlockSchema } from '../schema.js';
import './schema.js';

export interface StoredLogLine {
  seq: number;
  runId: string;
  at: Date;
  stepId: string | null;
  index: number | null;
  level: string;
  message: string;
  fields: Record<string, unknown> | null;
}

export type NewLogLine = Omit<StoredLogLine, 'seq'>;

/** Log lines of runs, in the order they were written (by `seq`), for reading and following. */
export class PostgresLogStore {
  constructor(private readonly db: Kysely<AirlockSchema>) {}

  async append(lines: NewLogLine[]): Promise<void> {
    if (lines.length === 0) return;
    await this.db
      .insertInto('run_log')
      .values(
        lines.map((l) => ({
          run_id: l.runId,
          at: l.at,
          step_id: l.stepId,
          idx: l.index,
          level: l.level,
          message: l.message,
          fields: l.fields === null ? null : JSON.stringify(l.fields),
        })),
      )
      .execute();
  }

  async read(
    runId: string,
    options: { afterSeq?: number; stepId?: string; limit?: number } = {},
  ): Promise<StoredLogLine[]> {
    let q = this.db.selectFrom('run_log').selectAll().where('run_id', '=', runId);
    if (options.afterSeq !== undefined) q = q.where('seq', '>', String(options.afterSeq));
    if (options.stepId) q = q.where('step_id', '=', options.stepId);
    const rows = await q
      .orderBy('seq')
      .limit(options.limit ?? 10_000)
      .execute();
    return rows.map((r) => ({
      seq: Number(r.seq),
      runId: r.run_id,
      at: r.at,
      stepId: r.step_id,
      index: r.idx,
      level: r.level,
      message: r.message,
      fields: r.fields as Record<string, unknown> | null,
    }));
  }
}
