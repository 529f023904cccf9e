import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Package } from '../../../src/scan/inventory/types.js';
import { importOsvPath, matchPackages } from '../../../src/scan/vulndb/index.js';
import { MemoryAdvisoryStore } from '../../../src/scan/vulndb/testing/memory-advisory-store.js';
import {
  type AirlockSchema,
  PostgresAdvisoryStore,
  migrateToLatest,
  migrations,
  openDatabase,
} from '../../../src/store/index.js';
import {
  OSV_FIXTURES_DIR,
  readOsvFixture,
  readOsvFixtures,
  writeOsvZip,
} from '../../fixtures/osv-records.js';
import { type TestDatabase, createTestDatabase } from '../../harness/postgres.js';

let testDb: TestDatabase;
let close: () => Promise<void>;
let db: Kysely<AirlockSchema>;
let store: PostgresAdvisoryStore;
let dir: string;

beforeAll(async () => {
  testDb = await createTestDatabase();
  const database = openDatabase<AirlockSchema>({ connectionString: testDb.connectionString });
  db = database.db;
  close = database.close;
  await migrateToLatest(db as unknown as Kysely<unknown>, migrations);
  store = new PostgresAdvisoryStore(db);
  dir = await mkdtemp(join(tmpdir(), 'airlock-vulndb-'));
});

afterAll(async () => {
  await close?.();
  await testDb?.drop();
  await rm(dir, { recursive: true, force: true });
});

describe('the vulnerability database on Postgres', () => {
  it('imports archives incrementally and reports counts and status per source', async () => {
    const archive = join(dir, 'Debian.zip');
    await writeOsvZip(archive, await readOsvFixtures(['Debian']));
    const first = await importOsvPath(archive, { writer: store });
    expect(first.totals).toEqual({
      read: 13,
      inserted: 13,
      updated: 0,
      unchanged: 0,
      malformed: 0,
      withdrawn: 0,
    });
    const again = await importOsvPath(archive, { writer: store });
    expect(again.totals).toEqual({
      read: 13,
      inserted: 0,
      updated: 0,
      unchanged: 13,
      malformed: 0,
      withdrawn: 0,
    });

    const status = await store.status();
    expect(status.sources).toEqual([
      {
        name: archive,
        kind: 'archive',
        lastImportAt: expect.any(Date),
        lastCounts: again.totals,
        advisories: 13,
        withdrawn: 0,
        newestModified: new Date('2023-07-14T07:39:10Z'),
      },
    ]);
    expect(status.ecosystems).toEqual([{ ecosystem: 'Debian', advisories: 13, entries: 38 }]);
  });

  it('replaces a record and its affected entries only when the incoming one is newer', async () => {
    const text = await readOsvFixture('Debian/DEBIAN-CVE-2022-0778.json');
    const record = JSON.parse(text) as { modified: string; affected: unknown[] };
    const file = join(dir, 'one.json');
    record.modified = '2023-08-01T00:00:00.123456Z';
    record.affected = record.affected.slice(2);
    await writeFile(file, JSON.stringify(record));
    expect((await importOsvPath(file, { writer: store })).totals).toMatchObject({ updated: 1 });
    const entries = await store.findAffected([{ ecosystemBase: 'Debian', name: 'openssl' }]);
    expect(entries.filter((e) => e.advisoryId === 'DEBIAN-CVE-2022-0778').map((e) => e.ecosystem)).toEqual([
      'Debian:12',
    ]);

    // Microseconds count: the same instant is not newer, one microsecond later is.
    expect((await importOsvPath(file, { writer: store })).totals).toMatchObject({ unchanged: 1 });
    record.modified = '2023-08-01T00:00:00.123457Z';
    await writeFile(file, JSON.stringify(record));
    expect((await importOsvPath(file, { writer: store })).totals).toMatchObject({ updated: 1 });
  });

  it('compares content when records carry no usable modified date (the Go database)', async () => {
    const file = join(dir, 'go.json');
    const text = await readOsvFixture('Go/GO-2023-2102.json');
    await writeFile(file, text);
    expect((await importOsvPath(file, { writer: store })).totals).toMatchObject({ inserted: 1 });
    expect((await importOsvPath(file, { writer: store })).totals).toMatchObject({ unchanged: 1 });
    await writeFile(file, text.replace('"fixed": "1.21.3"', '"fixed": "1.21.4"'));
    expect((await importOsvPath(file, { writer: store })).totals).toMatchObject({ updated: 1 });
    const [advisory] = await store.findAdvisories(['GO-2023-2102']);
    expect(advisory).toMatchObject({
      aliases: ['CVE-2023-39325', 'GHSA-4374-p667-p6c8'],
      related: ['CVE-2023-44487'],
      summary: 'HTTP/2 rapid reset can cause excessive work in net/http',
    });
  });

  it('matches the same findings as the in-memory reference store, withdrawn advisories excluded', async () => {
    await importOsvPath(OSV_FIXTURES_DIR, { writer: store });
    const memory = new MemoryAdvisoryStore();
    await importOsvPath(OSV_FIXTURES_DIR, { writer: memory });
    const packages: Package[] = [
      {
        type: 'deb',
        name: 'libssl3',
        version: '3.0.8-1',
        purl: 'pkg:deb/debian/libssl3@3.0.8-1?distro=debian-12',
        source: { name: 'openssl' },
        locations: [],
      },
      {
        type: 'deb',
        name: 'apt',
        version: '2.6.1',
        purl: 'pkg:deb/debian/apt@2.6.1?distro=debian-12',
        locations: [],
      },
      { type: 'pypi', name: 'urllib3', version: '1.26.17', purl: 'pkg:pypi/urllib3@1.26.17', locations: [] },
      {
        type: 'golang',
        name: 'stdlib',
        version: 'v1.21.1',
        purl: 'pkg:golang/stdlib@v1.21.1',
        locations: [],
      },
      {
        type: 'golang',
        name: 'github.com/gorilla/sessions',
        version: 'v1.2.1',
        purl: 'pkg:golang/github.com/gorilla/sessions@v1.2.1',
        locations: [],
      },
    ];
    const fromPostgres = await matchPackages(packages, undefined, store);
    const fromMemory = await matchPackages(packages, undefined, memory);
    expect(
      fromPostgres.findings.map((f) => `${f.package.name} ${f.id} ${f.fixedVersions.join(',')}`),
    ).toEqual([
      'apt CVE-2011-3374 ',
      'libssl3 CVE-2023-0464 3.0.9-1',
      'libssl3 CVE-2023-2650 3.0.9-1',
      // Re-imported from the fixtures: without dates, the content that arrives last wins.
      'stdlib CVE-2023-39325 1.21.3',
      'stdlib CVE-2024-24790 1.21.11',
      'urllib3 CVE-2023-45803 1.26.18',
    ]);
    // (The Postgres copy of DEBIAN-CVE-2022-0778 is the newer one written above, with fewer entries.)
    expect(fromPostgres.findings).toEqual(fromMemory.findings);
    expect(fromPostgres.notices).toEqual(fromMemory.notices);
  });
});
