import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { type Kysely, sql } from 'kysely';
import { createTestDatabase } from '../../../test/harness/postgres.js';
import { migrateToLatest } from '../migrations/runner.js';
import { openDatabase } from './database.js';
import { startEmbeddedPostgres } from './embedded.js';

describe('embedded Postgres', () => {
  let dataDir: string;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'airlock-pg-'));
  });
  afterAll(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  it('initialises once, keeps its password private, and restarts on the same data', async () => {
    const first = await startEmbeddedPostgres({ dataDir });
    const client = new pg.Client({ connectionString: first.connectionString });
    await client.connect();
    await client.query('CREATE TABLE kept (id int)');
    await client.query('INSERT INTO kept VALUES (42)');
    await client.end();
    await first.stop();
    expect((await stat(join(dataDir, 'postgres.secret'))).mode & 0o777).toBe(0o600);
    expect(first.connectionString).toContain(
      (await readFile(join(dataDir, 'postgres.secret'), 'utf8')).trim(),
    );

    const second = await startEmbeddedPostgres({ dataDir });
    const again = new pg.Client({ connectionString: second.connectionString });
    await again.connect();
    expect((await again.query('SELECT id FROM kept')).rows).toEqual([{ id: 42 }]);
    await again.end();
    // A second start while the first still runs (a process that died and left it) reuses it.
    const reused = await startEmbeddedPostgres({ dataDir });
    expect(reused.port).toBe(second.port);
    expect(reused.owned).toBe(false);
    await reused.stop();
    const still = new pg.Client({ connectionString: second.connectionString });
    await still.connect();
    await still.end();
    await second.stop();
  });
});

describe('migrations', () => {
  it('apply once, in order, however many processes start together', async () => {
    const database = await createTestDatabase();
    const handles = [0, 1, 2].map(() =>
      openDatabase<unknown>({ connectionString: database.connectionString }),
    );
    const migrations = {
      '0001_a': { up: async (db: Kysely<unknown>) => void (await sql`CREATE TABLE a (id int)`.execute(db)) },
      '0002_b': { up: async (db: Kysely<unknown>) => void (await sql`CREATE TABLE b (id int)`.execute(db)) },
    };
    try {
      const applied = await Promise.all(handles.map((h) => migrateToLatest(h.db, migrations)));
      expect(applied.flat().sort()).toEqual(['0001_a', '0002_b']);
      expect(await migrateToLatest(handles[0]!.db, migrations)).toEqual([]);
    } finally {
      await Promise.all(handles.map((h) => h.close()));
      await database.drop();
    }
  });
});
