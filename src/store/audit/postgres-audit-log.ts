import { type Kysely, type Selectable, sql } from 'kysely';
import { throwIfAborted } from '../../kernel/index.js';
import type { AirlockSchema } from '../schema.js';
import { GENESIS_HASH, hashAuditEntry, toJsonValue } from './chain.js';
import type { AuditLogTable } from './table.js';
import type {
  AuditCallOptions,
  AuditEntry,
  AuditFilter,
  AuditLog,
  AuditVerification,
  NewAuditEntry,
  VerifyAuditOptions,
} from './types.js';
import { verifyChain } from './verify.js';

/** Serialises appends across every process sharing the database: the bytes of "airlock", then 2. */
const APPEND_LOCK_KEY = 0x6169726c6f636b02n;
const DEFAULT_LIST_LIMIT = 100;
const MAX_LIST_LIMIT = 1000;

/**
 * The append-only, hash-chained audit log in Postgres. Each append takes a transaction-scoped
 * advisory lock, reads the head, and inserts the next entry — so entries from any number of
 * processes form one chain with no forks and no gaps. Appends are rare (a human or a run acting),
 * so the lock costs nothing that matters.
 */
export class PostgresAuditLog implements AuditLog {
  constructor(private readonly db: Kysely<AirlockSchema>) {}

  async append(entry: NewAuditEntry, options: AuditCallOptions = {}): Promise<AuditEntry> {
    throwIfAborted(options.signal);
    const details = toJsonValue(entry.details ?? {});
    return this.db.transaction().execute(async (trx) => {
      await sql`SELECT pg_advisory_xact_lock(${APPEND_LOCK_KEY.toString()}::bigint)`.execute(trx);
      const head = await trx
        .selectFrom('audit_log')
        .select(['seq', 'hash'])
        .orderBy('seq', 'desc')
        .limit(1)
        .executeTakeFirst();
      // The database's clock, truncated to what an RFC 3339 string with milliseconds keeps, so
      // that times are ordered with the chain whichever process appends.
      const { rows } = await sql<{
        at: Date;
      }>`SELECT date_trunc('milliseconds', clock_timestamp()) AS at`.execute(trx);
      const unhashed = {
        seq: head ? Number(head.seq) + 1 : 1,
        at: rows[0]!.at.toISOString(),
        actor: entry.actor,
        action: entry.action,
        target: entry.target,
        details,
        prevHash: head?.hash ?? GENESIS_HASH,
      };
      const stored: AuditEntry = { ...unhashed, hash: hashAuditEntry(unhashed) };
      await trx
        .insertInto('audit_log')
        .values({
          seq: stored.seq,
          at: stored.at,
          actor: stored.actor,
          action: stored.action,
          target: stored.target,
          details: JSON.stringify(stored.details),
          prev_hash: stored.prevHash,
          hash: stored.hash,
        })
        .execute();
      return stored;
    });
  }

  async list(filter: AuditFilter = {}, options: AuditCallOptions = {}): Promise<AuditEntry[]> {
    throwIfAborted(options.signal);
    const limit = Math.min(Math.max(filter.limit ?? DEFAULT_LIST_LIMIT, 1), MAX_LIST_LIMIT);
    let query = this.db.selectFrom('audit_log').selectAll().orderBy('seq', 'desc').limit(limit);
    if (filter.actor !== undefined) query = query.where('actor', '=', filter.actor);
    if (filter.action !== undefined) query = query.where('action', '=', filter.action);
    if (filter.target !== undefined) query = query.where('target', '=', filter.target);
    if (filter.before !== undefined) query = query.where('seq', '<', String(filter.before));
    return (await query.execute()).map(toAuditEntry);
  }

  verify(options: VerifyAuditOptions = {}): Promise<AuditVerification> {
    return verifyChain((afterSeq, limit) => this.readBatch(afterSeq, limit, options.signal), options);
  }

  private async readBatch(afterSeq: number, limit: number, signal?: AbortSignal): Promise<AuditEntry[]> {
    throwIfAborted(signal);
    const rows = await this.db
      .selectFrom('audit_log')
      .selectAll()
      .where('seq', '>', String(afterSeq))
      .orderBy('seq', 'asc')
      .limit(limit)
      .execute();
    return rows.map(toAuditEntry);
  }
}

export function toAuditEntry(row: Selectable<AuditLogTable>): AuditEntry {
  return {
    seq: Number(row.seq),
    at: row.at.toISOString(),
    actor: row.actor,
    action: row.action,
    target: row.target,
    details: row.details,
    prevHash: row.prev_hash,
    hash: row.hash,
  };
}
