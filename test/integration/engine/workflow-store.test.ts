import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PostgresWorkflowStore } from '../../../src/store/engine/index.js';
import { createMigratedTestDatabase, type MigratedTestDatabase } from '../../harness/index.js';

let migrated: MigratedTestDatabase;
let store: PostgresWorkflowStore;

beforeAll(async () => {
  migrated = await createMigratedTestDatabase();
  store = new PostgresWorkflowStore(migrated.database.db);
});

afterAll(() => migrated?.remove());

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
