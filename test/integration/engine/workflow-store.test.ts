import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PostgresWorkflowStore } from '../../../src/store/engine/index.js';
import {
  type AirlockSchema,
  type Database,
  migrateToLatest,
  migrations,
  openDatabase,
} from '../../../src/store/index.js';
import { createTestDatabase, type TestDatabase } from '../../harness/index.js';

let testDb: TestDatabase;
let database: Database<AirlockSchema>;
let store: PostgresWorkflowStore;

beforeAll(async () => {
  testDb = await createTestDatabase();
  database = openDatabase<AirlockSchema>({ connectionString: testDb.connectionString });
  await migrateToLatest(database.db as unknown as Kysely<unknown>, migrations);
  store = new PostgresWorkflowStore(database.db);
});

afterAll(async () => {
  await database?.close();
  await testDb?.drop();
});

const version = (text: string) => ({
  name: 'mirror',
  digest: `sha256:${text}`,
  source: text,
  definition: { text },
  createdBy: 'user:alice',
});

describe('workflow versions', () => {
  it('stores new text as the next version, the latest text again as nothing, and an older text as a rollback', async () => {
    expect(await store.insertVersion(version('a'))).toMatchObject({ created: true, version: { version: 1 } });
    expect(await store.insertVersion(version('b'))).toMatchObject({ created: true, version: { version: 2 } });
    expect(await store.insertVersion(version('b'))).toMatchObject({
      created: false,
      version: { version: 2 },
    });
    expect(await store.insertVersion(version('a'))).toMatchObject({
      created: true,
      version: { version: 3, source: 'a' },
    });
    expect((await store.get('mirror'))?.source).toBe('a');
    expect((await store.listVersions('mirror')).map((v) => v.version)).toEqual([3, 2, 1]);
  });

  it('gives concurrent applies of different texts distinct versions', async () => {
    const results = await Promise.all(
      ['x', 'y', 'z'].map((t) => store.insertVersion({ ...version(t), name: 'race' })),
    );
    expect(results.map((r) => r.version.version).sort()).toEqual([1, 2, 3]);
  });
});
