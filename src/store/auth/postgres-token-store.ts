import { type Kysely, type Selectable, sql } from 'kysely';
import { type Clock, systemClock, throwIfAborted } from '../../kernel/index.js';
import type { AirlockSchema } from '../schema.js';
import type { ApiTokenTable } from './table.js';
import { generateApiToken, hashApiToken, isApiTokenFormat, randomBase62 } from './token-secret.js';
import {
  type ApiRole,
  type ApiTokenRecord,
  type CreatedApiToken,
  type NewApiToken,
  type StoreCallOptions,
  type TokenAuthentication,
  type TokenStore,
  LAST_USED_RESOLUTION_MS,
} from './types.js';

/** Serialises first-token creation across processes (`pg_advisory_xact_lock`): the bytes of "airlock", then 1. */
const BOOTSTRAP_LOCK_KEY = 0x6169726c6f636b01n;
/** 16 base62 characters (~95 bits): unique without coordination, short enough to type. */
const TOKEN_ID_CHARS = 16;

export interface PostgresTokenStoreOptions {
  /** For expiry and last-used decisions; the system clock by default. */
  clock?: Clock;
}

/** API tokens in Postgres, looked up by the SHA-256 of the secret. */
export class PostgresTokenStore implements TokenStore {
  private readonly clock: Clock;

  constructor(
    private readonly db: Kysely<AirlockSchema>,
    options: PostgresTokenStoreOptions = {},
  ) {
    this.clock = options.clock ?? systemClock;
  }

  async create(input: NewApiToken, options: StoreCallOptions = {}): Promise<CreatedApiToken> {
    throwIfAborted(options.signal);
    return insertToken(this.db, input, this.clock);
  }

  async createFirst(
    input: NewApiToken,
    options: StoreCallOptions = {},
  ): Promise<CreatedApiToken | undefined> {
    throwIfAborted(options.signal);
    return this.db.transaction().execute(async (trx) => {
      await sql`SELECT pg_advisory_xact_lock(${BOOTSTRAP_LOCK_KEY.toString()}::bigint)`.execute(trx);
      const existing = await trx.selectFrom('api_token').select('id').limit(1).executeTakeFirst();
      if (existing) return undefined;
      return insertToken(trx, input, this.clock);
    });
  }

  async authenticate(secret: string, options: StoreCallOptions = {}): Promise<TokenAuthentication> {
    throwIfAborted(options.signal);
    // A malformed or mistyped secret is refused without touching the database.
    if (!isApiTokenFormat(secret)) return { status: 'unknown' };
    const row = await this.db
      .selectFrom('api_token')
      .selectAll()
      .where('hash', '=', hashApiToken(secret))
      .executeTakeFirst();
    if (!row) return { status: 'unknown' };
    const record = toRecord(row);
    const now = this.clock.now();
    if (row.revoked_at) return { status: 'revoked', record };
    if (row.expires_at && row.expires_at.getTime() <= now) return { status: 'expired', record };
    const due = !row.last_used_at || now - row.last_used_at.getTime() >= LAST_USED_RESOLUTION_MS;
    const recordedUse = due && (await this.recordUse(row.id, now));
    return {
      status: 'valid',
      record: recordedUse ? { ...record, lastUsedAt: iso(new Date(now)) } : record,
      recordedUse,
    };
  }

  async get(id: string, options: StoreCallOptions = {}): Promise<ApiTokenRecord | undefined> {
    throwIfAborted(options.signal);
    const row = await this.db.selectFrom('api_token').selectAll().where('id', '=', id).executeTakeFirst();
    return row ? toRecord(row) : undefined;
  }

  async list(options: StoreCallOptions & { includeRevoked?: boolean } = {}): Promise<ApiTokenRecord[]> {
    throwIfAborted(options.signal);
    let query = this.db.selectFrom('api_token').selectAll().orderBy('created_at', 'desc').orderBy('id');
    if (!options.includeRevoked) query = query.where('revoked_at', 'is', null);
    return (await query.execute()).map(toRecord);
  }

  async revoke(id: string, by: string, options: StoreCallOptions = {}): Promise<ApiTokenRecord | undefined> {
    throwIfAborted(options.signal);
    await this.db
      .updateTable('api_token')
      .set({ revoked_at: new Date(this.clock.now()), revoked_by: by })
      .where('id', '=', id)
      .where('revoked_at', 'is', null)
      .execute();
    return this.get(id, options);
  }

  async ping(options: StoreCallOptions = {}): Promise<void> {
    throwIfAborted(options.signal);
    await sql`SELECT 1`.execute(this.db);
  }

  /**
   * Writes the last-used time unless another request (in any process) already did within the
   * window; true for the one writer that did, whose use is then worth an audit entry.
   */
  private async recordUse(id: string, now: number): Promise<boolean> {
    const threshold = new Date(now - LAST_USED_RESOLUTION_MS);
    const result = await this.db
      .updateTable('api_token')
      .set({ last_used_at: new Date(now) })
      .where('id', '=', id)
      .where((eb) => eb.or([eb('last_used_at', 'is', null), eb('last_used_at', '<=', threshold)]))
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }
}

async function insertToken(
  db: Kysely<AirlockSchema>,
  input: NewApiToken,
  clock: Clock,
): Promise<CreatedApiToken> {
  const token = generateApiToken();
  const row = await db
    .insertInto('api_token')
    .values({
      id: `tok_${randomBase62(TOKEN_ID_CHARS)}`,
      hash: hashApiToken(token),
      subject: input.subject,
      roles: [...new Set(input.roles)],
      description: input.description ?? null,
      created_at: new Date(clock.now()),
      created_by: input.createdBy,
      expires_at: input.expiresAt ?? null,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  return { token, record: toRecord(row) };
}

function toRecord(row: Selectable<ApiTokenTable>): ApiTokenRecord {
  const record: ApiTokenRecord = {
    id: row.id,
    subject: row.subject,
    roles: row.roles as ApiRole[],
    createdAt: iso(row.created_at),
    createdBy: row.created_by,
  };
  if (row.description !== null) record.description = row.description;
  if (row.expires_at) record.expiresAt = iso(row.expires_at);
  if (row.last_used_at) record.lastUsedAt = iso(row.last_used_at);
  if (row.revoked_at) record.revokedAt = iso(row.revoked_at);
  if (row.revoked_by !== null) record.revokedBy = row.revoked_by;
  return record;
}

function iso(date: Date): string {
  return date.toISOString();
}
