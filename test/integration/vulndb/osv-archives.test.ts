import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OsInfo, Package } from '../../../src/scan/inventory/types.js';
import { importOsvPath, matchPackages } from '../../../src/scan/vulndb/index.js';
import {
  type AirlockSchema,
  PostgresAdvisoryStore,
  migrateToLatest,
  migrations,
  openDatabase,
} from '../../../src/store/index.js';
import { sharedOsvArchivesDir } from '../../fixtures/osv-records.js';
import { type TestDatabase, createTestDatabase } from '../../harness/postgres.js';

/**
 * The large test: every record of the full per-ecosystem OSV archives (about 46,000), imported
 * into Postgres and matched against the known records their SOURCES.md lists. Skipped when the
 * archives are not next to this checkout.
 */
const archives = sharedOsvArchivesDir();
const present = existsSync(join(archives, 'Debian.zip'));
if (!present)
  console.log(`skipping the full OSV archive import: no archives in ${archives} (set AIRLOCK_OSV_FIXTURES)`);

describe.skipIf(!present)('importing the full OSV fixture archives', () => {
  let testDb: TestDatabase;
  let close: () => Promise<void>;
  let store: PostgresAdvisoryStore;

  beforeAll(async () => {
    testDb = await createTestDatabase();
    const database = openDatabase<AirlockSchema>({ connectionString: testDb.connectionString });
    close = database.close;
    await migrateToLatest(database.db as unknown as Kysely<unknown>, migrations);
    store = new PostgresAdvisoryStore(database.db);
  });

  afterAll(async () => {
    await close?.();
    await testDb?.drop();
  });

  it('imports every archive with the counts SOURCES.md gives', { timeout: 600_000 }, async () => {
    const report = await importOsvPath(archives, { writer: store });
    const read = Object.fromEntries(report.sources.map((s) => [s.source.split('/').pop(), s.counts.read]));
    expect(read).toEqual({
      'AlmaLinux.zip': 660,
      'Alpine.zip': 6631,
      'Debian.zip': 26165 + 968 + 322,
      'Go.zip': 4291,
      'PyPI.zip': 2661,
      'crates.io.zip': 1206,
      'npm.zip': 3000,
    });
    // One Alpine secdb entry has no CVE number ("ALPINE-CVE-????-?????").
    expect(report.totals).toMatchObject({
      malformed: 1,
      inserted: report.totals.read - 1,
      updated: 0,
      unchanged: 0,
    });
    console.log(
      `imported ${report.totals.read} OSV records in ${(report.durationMs / 1000).toFixed(1)} s (${Math.round((report.totals.read * 1000) / report.durationMs)} records/s)`,
    );
  });

  it('finds the known records of SOURCES.md', async () => {
    const deb = (name: string, version: string, source: string): Package => ({
      type: 'deb',
      name,
      version,
      purl: `pkg:deb/debian/${name}@${version}`,
      source: { name: source },
      locations: [],
    });
    const debian12: OsInfo = { id: 'debian', versionId: '12', idLike: [] };
    const debianFindings = (
      await matchPackages(
        [
          deb('libssl1.1', '1.1.1m-1', 'openssl'),
          deb('liblog4j2-java', '2.14.0-1', 'apache-log4j2'),
          deb('apt', '2.6.1', 'apt'),
        ],
        debian12,
        store,
      )
    ).findings;
    expect(debianFindings.find((f) => f.id === 'CVE-2022-0778')).toMatchObject({
      fixedVersions: ['1.1.1n-1'],
    });
    expect(debianFindings.find((f) => f.id === 'CVE-2021-44228')).toMatchObject({
      fixedVersions: ['2.15.0-1'],
    });
    expect(debianFindings.find((f) => f.id === 'CVE-2011-3374')).toMatchObject({ fixedVersions: [] });

    const alpine: OsInfo = { id: 'alpine', versionId: '3.20.0', idLike: [] };
    const apk = (name: string, version: string, origin: string): Package => ({
      type: 'apk',
      name,
      version,
      purl: `pkg:apk/alpine/${name}@${version}`,
      source: { name: origin },
      locations: [],
    });
    const alpineFindings = (
      await matchPackages(
        [
          apk('xz-libs', '5.6.1-r1', 'xz'),
          apk('libwebp', '1.3.1-r0', 'libwebp'),
          apk('curl', '8.3.0-r0', 'curl'),
        ],
        alpine,
        store,
      )
    ).findings;
    expect(alpineFindings.map((f) => [f.id, f.fixedVersions])).toEqual(
      expect.arrayContaining([
        ['CVE-2024-3094', ['5.6.1-r2']],
        ['CVE-2023-4863', ['1.3.1-r1']],
        ['CVE-2023-38545', ['8.4.0-r0']],
      ]),
    );

    const lang = (type: Package['type'], name: string, version: string): Package => ({
      type,
      name,
      version,
      purl: `pkg:${type}/${name}@${version}`,
      locations: [],
    });
    const langFindings = (
      await matchPackages(
        [
          lang('pypi', 'requests', '2.30.0'),
          lang('pypi', 'urllib3', '2.0.6'),
          lang('golang', 'stdlib', 'v1.21.2'),
          lang('cargo', 'libwebp-sys', '0.9.2'),
        ],
        undefined,
        store,
      )
    ).findings;
    expect(langFindings.map((f) => `${f.package.name} ${f.id}`)).toEqual(
      expect.arrayContaining([
        'requests CVE-2023-32681',
        'urllib3 CVE-2023-45803',
        'stdlib CVE-2023-39325',
        'libwebp-sys CVE-2023-4863',
      ]),
    );
  });

  it(
    're-imports an archive without changes, by content hash for the Go records',
    { timeout: 300_000 },
    async () => {
      const report = await importOsvPath(join(archives, 'Go.zip'), { writer: store });
      expect(report.totals).toMatchObject({ read: 4291, inserted: 0, updated: 0, unchanged: 4291 });
    },
  );
});
