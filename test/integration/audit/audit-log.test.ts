import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { sql, type Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type AirlockSchema,
  type Database,
  PostgresAuditLog,
  migrateToLatest,
  migrations,
  openDatabase,
} from '../../../src/store/index.js';
import { createTestDatabase, type TestDatabase } from '../../harness/index.js';

const run = promisify(execFile);
const WORKER = fileURLToPath(new URL('./append-worker.ts', import.meta.url));

let testDb: TestDatabase;
let first: Database<AirlockSchema>;
let second: Database<AirlockSchema>;

beforeAll(async () => {
  testDb = await createTestDatabase();
  first = openDatabase<AirlockSchema>({ connectionString: testDb.connectionString });
  second = openDatabase<AirlockSchema>({ connectionString: testDb.connectionString });
  await migrateToLatest(first.db as unknown as Kysely<unknown>, migrations);
});

afterAll(async () => {
  await first?.close();
  await second?.close();
  await testDb?.drop();
});

/** Edits history the way an attacker with the database owner's rights would: past the triggers. */
async function tamper(statement: ReturnType<typeof sql>): Promise<void> {
  await first.db.connection().execute(async (connection) => {
    await sql`SET session_replication_role = replica`.execute(connection);
    try {
      await statement.execute(connection);
    } finally {
      await sql`SET session_replication_role = DEFAULT`.execute(connection);
    }
  });
}

describe('PostgresAuditLog', () => {
  it('chains appends from several processes and connections into one gapless log', async () => {
    const a = new PostgresAuditLog(first.db);
    const b = new PostgresAuditLog(second.db);
    const local = Array.from({ length: 20 }, (_, i) =>
      (i % 2 ? a : b).append({ actor: 'user:alice', action: 'workflow.apply', target: `workflow:w${i}` }),
    );
    const workers = ['one', 'two'].map((name) =>
      run(process.execPath, ['--import', 'tsx', WORKER, testDb.connectionString, name, '15']),
    );
    await Promise.all([...local, ...workers]);

    const entries = (await a.list({ limit: 1000 })).reverse();
    expect(entries.map((e) => e.seq)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
    expect(new Set(entries.map((e) => e.actor))).toEqual(new Set(['user:alice', 'robot:one', 'robot:two']));
    for (let i = 1; i < entries.length; i++) expect(entries[i]!.prevHash).toBe(entries[i - 1]!.hash);
    const verification = await b.verify();
    expect(verification).toEqual({ ok: true, checked: 50, head: { seq: 50, hash: entries[49]!.hash } });
  });

  it('keeps times in chain order and details as given', async () => {
    const log = new PostgresAuditLog(first.db);
    const entry = await log.append({
      actor: 'user:bob',
      action: 'token.create',
      target: 'token:tok_x',
      details: { roles: ['viewer'], nested: { n: 1.5, none: null, gone: undefined } },
    });
    const [stored] = await log.list({ limit: 1 });
    expect(stored).toEqual(entry);
    expect(stored!.details).toEqual({ roles: ['viewer'], nested: { n: 1.5, none: null } });
    const all = (await log.list({ limit: 1000 })).reverse();
    for (let i = 1; i < all.length; i++) expect(all[i]!.at >= all[i - 1]!.at).toBe(true);
  });

  it('filters and pages newest first', async () => {
    const log = new PostgresAuditLog(first.db);
    const page = await log.list({ actor: 'robot:one', limit: 10 });
    expect(page).toHaveLength(10);
    expect(page.every((e) => e.actor === 'robot:one')).toBe(true);
    const next = await log.list({ actor: 'robot:one', before: page[9]!.seq, limit: 10 });
    expect(next).toHaveLength(5);
    expect(next[0]!.seq).toBeLessThan(page[9]!.seq);
    expect(await log.list({ action: 'token.create' })).toHaveLength(1);
  });

  it('refuses UPDATE, DELETE and TRUNCATE', async () => {
    await expect(sql`UPDATE audit_log SET actor = 'x' WHERE seq = 1`.execute(first.db)).rejects.toThrow(
      /append-only/,
    );
    await expect(sql`DELETE FROM audit_log WHERE seq = 1`.execute(first.db)).rejects.toThrow(/append-only/);
    await expect(sql`TRUNCATE audit_log`.execute(first.db)).rejects.toThrow(/append-only/);
  });

  it('names a row tampered with through SQL, and a removed one', async () => {
    const log = new PostgresAuditLog(first.db);
    const before = await log.verify();
    expect(before.ok).toBe(true);

    await tamper(sql`UPDATE audit_log SET details = '{"i": 999}' WHERE seq = 17`);
    expect(await log.verify()).toMatchObject({
      ok: false,
      checked: 16,
      broken: { seq: 17, reason: 'hash-mismatch' },
    });

    await tamper(sql`DELETE FROM audit_log WHERE seq = 17`);
    const afterDelete = await log.verify();
    expect(afterDelete.broken).toMatchObject({ seq: 18, reason: 'sequence-gap' });
    expect(afterDelete.broken?.message).toMatch(/entry 17 is missing/);
  });

  it('detects removal of the newest entries against an anchor', async () => {
    const testDb2 = await createTestDatabase();
    const database = openDatabase<AirlockSchema>({ connectionString: testDb2.connectionString });
    try {
      await migrateToLatest(database.db as unknown as Kysely<unknown>, migrations);
      const log = new PostgresAuditLog(database.db);
      for (let i = 0; i < 4; i++)
        await log.append({ actor: 'user:a', action: 'run.start', target: `run:${i}` });
      const { head } = await log.verify();
      await database.db.connection().execute(async (connection) => {
        await sql`SET session_replication_role = replica`.execute(connection);
        await sql`DELETE FROM audit_log WHERE seq = 4`.execute(connection);
      });
      expect((await log.verify()).ok).toBe(true);
      expect(await log.verify({ anchor: head! })).toMatchObject({
        ok: false,
        broken: { seq: 4, reason: 'anchor-missing' },
      });
    } finally {
      await database.close();
      await testDb2.drop();
    }
  });
});
