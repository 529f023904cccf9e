import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Clock } from '../../../src/kernel/index.js';
import { LAST_USED_RESOLUTION_MS, PostgresTokenStore, hashApiToken } from '../../../src/store/index.js';
import { createMigratedTestDatabase, type MigratedTestDatabase } from '../../harness/index.js';

let migrated: MigratedTestDatabase;
let database: MigratedTestDatabase['database'];
let now = Date.parse('2026-03-01T12:00:00Z');
const clock: Clock = { now: () => now, sleep: async () => undefined };

beforeAll(async () => {
  migrated = await createMigratedTestDatabase();
  database = migrated.database;
});

afterAll(() => migrated?.remove());

describe('PostgresTokenStore', () => {
  it('creates the first token once, even when processes race for it', async () => {
    const stores = [
      new PostgresTokenStore(database.db, { clock }),
      new PostgresTokenStore(database.db, { clock }),
    ];
    const results = await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        stores[i % 2]!.createFirst({
          subject: 'user:admin',
          roles: ['admin'],
          createdBy: 'system:bootstrap',
        }),
      ),
    );
    expect(results.filter((r) => r !== undefined)).toHaveLength(1);
    expect(await stores[0]!.list()).toHaveLength(1);
  });

  it('stores only the hash of the secret', async () => {
    const store = new PostgresTokenStore(database.db, { clock });
    const { token, record } = await store.create({
      subject: 'robot:ci',
      roles: ['operator', 'viewer', 'operator'],
      createdBy: 'user:admin',
      description: 'CI pipeline',
    });
    const row = await database.db
      .selectFrom('api_token')
      .selectAll()
      .where('id', '=', record.id)
      .executeTakeFirstOrThrow();
    expect(row.hash).toBe(hashApiToken(token));
    expect(JSON.stringify(row)).not.toContain(token.slice(8));
    expect(record).toMatchObject({
      id: expect.stringMatching(/^tok_[0-9A-Za-z]{16}$/),
      subject: 'robot:ci',
      roles: ['operator', 'viewer'],
      description: 'CI pipeline',
      createdAt: '2026-03-01T12:00:00.000Z',
      createdBy: 'user:admin',
    });
  });

  it('authenticates, recording a use once per window', async () => {
    const store = new PostgresTokenStore(database.db, { clock });
    const { token, record } = await store.create({
      subject: 'user:bob',
      roles: ['viewer'],
      createdBy: 'user:admin',
    });
    const first = await store.authenticate(token);
    expect(first).toMatchObject({ status: 'valid', recordedUse: true, record: { id: record.id } });
    const again = await Promise.all([store.authenticate(token), store.authenticate(token)]);
    expect(again.map((a) => a.status === 'valid' && a.recordedUse)).toEqual([false, false]);
    now += LAST_USED_RESOLUTION_MS;
    const later = await Promise.all([
      store.authenticate(token),
      store.authenticate(token),
      store.authenticate(token),
    ]);
    expect(later.filter((a) => a.status === 'valid' && a.recordedUse)).toHaveLength(1);
    expect((await store.get(record.id))?.lastUsedAt).toBe(new Date(now).toISOString());
  });

  it('tells expired, revoked and unknown tokens apart', async () => {
    const store = new PostgresTokenStore(database.db, { clock });
    const expiring = await store.create({
      subject: 'user:temp',
      roles: ['viewer'],
      createdBy: 'user:admin',
      expiresAt: new Date(now + 1000).toISOString(),
    });
    expect((await store.authenticate(expiring.token)).status).toBe('valid');
    now += 1000;
    expect((await store.authenticate(expiring.token)).status).toBe('expired');

    const revoked = await store.create({ subject: 'user:gone', roles: ['admin'], createdBy: 'user:admin' });
    const first = await store.revoke(revoked.record.id, 'user:admin');
    expect(first).toMatchObject({ revokedBy: 'user:admin', revokedAt: new Date(now).toISOString() });
    now += 1000;
    const second = await store.revoke(revoked.record.id, 'user:other');
    expect(second).toEqual(first);
    expect((await store.authenticate(revoked.token)).status).toBe('revoked');

    // One character changed (never to itself: a token may end in any base64url character).
    const tampered = `${revoked.token.slice(0, -1)}${revoked.token.endsWith('x') ? 'y' : 'x'}`;
    expect((await store.authenticate(tampered)).status).toBe('unknown');
    expect((await store.authenticate('Bearer nonsense')).status).toBe('unknown');
    expect(await store.revoke('tok_doesnotexist0000', 'user:admin')).toBeUndefined();
  });

  it('lists newest first, revoked ones only when asked', async () => {
    const store = new PostgresTokenStore(database.db, { clock });
    const live = await store.list();
    const all = await store.list({ includeRevoked: true });
    expect(all.length).toBe(live.length + 1);
    expect(live.every((t) => t.revokedAt === undefined)).toBe(true);
    const times = all.map((t) => t.createdAt);
    expect([...times].sort().reverse()).toEqual(times);
  });

  it('refuses unknown roles at the database', async () => {
    const store = new PostgresTokenStore(database.db, { clock });
    await expect(
      store.create({ subject: 'user:x', roles: ['root' as never], createdBy: 'user:admin' }),
    ).rejects.toThrow(/check constraint/);
  });
});
