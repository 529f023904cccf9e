/**
 * Vulnerability matching at scale: 10,000 installed packages (a Debian 12 image's OS
 * packages plus npm, PyPI, Go, Maven and crates.io dependencies) matched against a database of
 * 1,000,000 synthetic advisories in the embedded Postgres, and the import rate of the real
 * OSV archives (../shared/fixtures/osv, or $AIRLOCK_OSV_FIXTURES; skipped when absent).
 *
 * Targets: matching < 1 s; peak RSS < 300 MiB. The synthetic advisories are generated inside
 * Postgres (generate_series) with the shapes real ones have: one affected entry each, an
 * ECOSYSTEM or SEMVER range in the ecosystem's version syntax, a CVE alias, a CVSS vector.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Kysely, sql } from 'kysely';
import pg from 'pg';
import type { OsInfo, Package, PackageType } from '../src/scan/inventory/types.js';
import { type AdvisoryReader, importOsvPath, matchPackages } from '../src/scan/vulndb/index.js';
import {
  type AirlockSchema,
  PostgresAdvisoryStore,
  migrateToLatest,
  migrations,
  openDatabase,
  startEmbeddedPostgres,
} from '../src/store/index.js';
import { sharedOsvArchivesDir } from '../test/fixtures/osv-records.js';
import type { Benchmark } from './run.js';
import { printTable, seconds } from './support/measure.js';

const ADVISORIES = 1_000_000;
const PACKAGES = 10_000;
/** Distinct package names per ecosystem in the synthetic data: ~5 advisories per name, as popular packages have. */
const NAMES_PER_ECOSYSTEM = 30_000;
const CHUNK = 100_000;
const ROUNDS = 3;

/** Synthetic ecosystems: OSV name, base, version syntax of `major.minor.patch`. */
const ECOSYSTEMS: {
  ecosystem: string;
  base: string;
  type: PackageType;
  version: (a: number, b: number, c: number) => string;
  range: 'ECOSYSTEM' | 'SEMVER';
}[] = [
  {
    ecosystem: 'Debian:12',
    base: 'Debian',
    type: 'deb',
    version: (a, b, c) => `${a}.${b}.${c}-1`,
    range: 'ECOSYSTEM',
  },
  {
    ecosystem: 'Alpine:v3.20',
    base: 'Alpine',
    type: 'apk',
    version: (a, b, c) => `${a}.${b}.${c}-r0`,
    range: 'ECOSYSTEM',
  },
  { ecosystem: 'npm', base: 'npm', type: 'npm', version: (a, b, c) => `${a}.${b}.${c}`, range: 'SEMVER' },
  {
    ecosystem: 'PyPI',
    base: 'PyPI',
    type: 'pypi',
    version: (a, b, c) => `${a}.${b}.${c}`,
    range: 'ECOSYSTEM',
  },
  { ecosystem: 'Go', base: 'Go', type: 'golang', version: (a, b, c) => `${a}.${b}.${c}`, range: 'SEMVER' },
  {
    ecosystem: 'Maven',
    base: 'Maven',
    type: 'maven',
    version: (a, b, c) => `${a}.${b}.${c}`,
    range: 'ECOSYSTEM',
  },
  {
    ecosystem: 'crates.io',
    base: 'crates.io',
    type: 'cargo',
    version: (a, b, c) => `${a}.${b}.${c}`,
    range: 'SEMVER',
  },
];

/** Packages per ecosystem in the image (Alpine's are absent: one image has one OS). */
const IMAGE_MIX: Record<string, number> = {
  'Debian:12': 3000,
  npm: 3000,
  PyPI: 2000,
  Go: 1000,
  Maven: 500,
  'crates.io': 500,
};

const benchmark: Benchmark = {
  name: 'vulnerability matching: 10,000 packages against 1,000,000 advisories; OSV archive import rate',
  async run() {
    const dataDir = await mkdtemp(join(tmpdir(), 'airlock-bench-vulndb-'));
    const server = await startEmbeddedPostgres({ dataDir });
    try {
      const database = await freshDatabase(server.connectionString, 'bench_synthetic');
      try {
        await generateAdvisories(database.db);
        await matchAtScale(database.db);
      } finally {
        await database.close();
      }
      await importArchives(server.connectionString);
    } finally {
      await server.stop();
      await rm(dataDir, { recursive: true, force: true });
    }
  },
};
export default benchmark;

async function freshDatabase(adminUrl: string, name: string) {
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${name}`);
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const database = openDatabase<AirlockSchema>({ connectionString: url.toString() });
  await migrateToLatest(database.db as unknown as Kysely<unknown>, migrations);
  return database;
}

async function generateAdvisories(db: Kysely<AirlockSchema>): Promise<void> {
  const started = performance.now();
  const ecosystems = ECOSYSTEMS.map((e) => e.ecosystem);
  const bases = ECOSYSTEMS.map((e) => e.base);
  const rangeTypes = ECOSYSTEMS.map((e) => e.range);
  const suffixes = ECOSYSTEMS.map((e) => e.version(0, 0, 0).replace(/^0\.0\.0/, ''));
  for (let from = 1; from <= ADVISORIES; from += CHUNK) {
    const to = Math.min(ADVISORIES, from + CHUNK - 1);
    await db.transaction().execute(async (trx) => {
      await sql`
        INSERT INTO vuln_advisory (id, source, modified, published, aliases, summary, details, severity, reference_links, content_hash)
        SELECT 'SYN-' || i, 'synthetic', timestamptz '2024-01-01' + i * interval '1 second', timestamptz '2023-01-01',
          ARRAY['CVE-' || (2000 + i % 25) || '-' || (10000 + i)], 'synthetic advisory ' || i,
          'A synthetic vulnerability for benchmarking, number ' || i || '.',
          json_build_array(json_build_object('type', 'CVSS_V3', 'score',
            CASE i % 3 WHEN 0 THEN 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H' WHEN 1 THEN 'CVSS:3.1/AV:N/AC:H/PR:N/UI:R/S:U/C:L/I:N/A:N'
              ELSE 'CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:H/I:N/A:N' END)),
          json_build_array(json_build_object('type', 'ADVISORY', 'url', 'https://example.com/advisories/SYN-' || i)),
          md5(i::text)
        FROM generate_series(${from}::int, ${to}::int) AS i`.execute(trx);
      await sql`
        INSERT INTO vuln_affected (advisory_id, ordinal, ecosystem, ecosystem_base, package_name, ranges)
        SELECT 'SYN-' || i, 0, (${ecosystems}::text[])[1 + i % 7], (${bases}::text[])[1 + i % 7],
          'synthetic-' || ((i / 7) % ${NAMES_PER_ECOSYSTEM}),
          json_build_array(json_build_object('type', (${rangeTypes}::text[])[1 + i % 7], 'events', json_build_array(
            json_build_object('introduced', CASE WHEN i % 4 = 0 THEN '0' ELSE (i % 3) || '.0.0' || (${suffixes}::text[])[1 + i % 7] END),
            json_build_object('fixed', (i % 3) || '.' || (i % 10) || '.' || (i % 7) || (${suffixes}::text[])[1 + i % 7]))))
        FROM generate_series(${from}::int, ${to}::int) AS i`.execute(trx);
    });
  }
  await sql`ANALYZE vuln_advisory`.execute(db);
  await sql`ANALYZE vuln_affected`.execute(db);
  const ms = performance.now() - started;
  console.log(
    `generated ${ADVISORIES.toLocaleString('en')} advisories (one affected entry each) in ${seconds(ms)}: ${Math.round((ADVISORIES * 1000) / ms).toLocaleString('en')} advisories/s`,
  );
}

/** A deterministic image: most packages named like advisories' packages, versions spread over their ranges. */
function imagePackages(): Package[] {
  const packages: Package[] = [];
  let n = 0;
  for (const eco of ECOSYSTEMS) {
    const count = IMAGE_MIX[eco.ecosystem] ?? 0;
    for (let i = 0; i < count; i++, n++) {
      // Two thirds of the packages have advisories; the rest are names the database does not know.
      const name = i % 3 === 2 ? `unaffected-${i}` : `synthetic-${(i * 13) % NAMES_PER_ECOSYSTEM}`;
      const version = eco.version(i % 3, (i * 7) % 10, (i * 3) % 7);
      packages.push({
        type: eco.type,
        name,
        version,
        purl: `pkg:${eco.type}/${name}@${version}`,
        ...(eco.type === 'deb' ? { source: { name } } : {}),
        locations: [],
      });
    }
  }
  return packages;
}

async function matchAtScale(db: Kysely<AirlockSchema>): Promise<void> {
  const store = new PostgresAdvisoryStore(db);
  const os: OsInfo = { id: 'debian', versionId: '12', idLike: [] };
  const packages = imagePackages();
  let lookupMs = 0;
  let advisoriesMs = 0;
  const timed: AdvisoryReader = {
    findAffected: async (keys, options) => {
      const t = performance.now();
      const rows = await store.findAffected(keys, options);
      lookupMs += performance.now() - t;
      return rows;
    },
    findAdvisories: async (ids, options) => {
      const t = performance.now();
      const rows = await store.findAdvisories(ids, options);
      advisoriesMs += performance.now() - t;
      return rows;
    },
  };
  const rows: string[][] = [
    ['round', 'total', 'lookup', 'advisories', 'in memory', 'candidates', 'findings', 'target'],
  ];
  const baseRss = process.memoryUsage().rss;
  let peakRss = baseRss;
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 10);
  try {
    for (let round = 1; round <= ROUNDS; round++) {
      lookupMs = 0;
      advisoriesMs = 0;
      const started = performance.now();
      const result = await matchPackages(packages, os, timed);
      const total = performance.now() - started;
      rows.push([
        String(round),
        seconds(total),
        seconds(lookupMs),
        seconds(advisoriesMs),
        seconds(total - lookupMs - advisoriesMs),
        result.stats.candidates.toLocaleString('en'),
        result.findings.length.toLocaleString('en'),
        '< 1 s',
      ]);
    }
  } finally {
    clearInterval(sampler);
  }
  console.log(
    `${PACKAGES.toLocaleString('en')} packages (${Object.entries(IMAGE_MIX)
      .map(([e, c]) => `${c} ${e}`)
      .join(', ')}) against ${ADVISORIES.toLocaleString('en')} advisories`,
  );
  printTable(rows);
  console.log(
    `peak RSS of the benchmark process: ${mib(peakRss)} (target < 300 MiB; ${mib(baseRss)} before matching)`,
  );
}

async function importArchives(adminUrl: string): Promise<void> {
  const archives = sharedOsvArchivesDir();
  if (!existsSync(join(archives, 'Debian.zip'))) {
    console.log(`OSV archive import: skipped, no archives in ${archives} (set AIRLOCK_OSV_FIXTURES)`);
    return;
  }
  const database = await freshDatabase(adminUrl, 'bench_archives');
  try {
    const report = await importOsvPath(archives, { writer: new PostgresAdvisoryStore(database.db) });
    console.log(`\nOSV archive import (${archives})`);
    printTable([
      ['archive', 'records', 'time', 'records/s'],
      ...report.sources.map((s) => [
        s.source.split('/').pop()!,
        String(s.counts.read),
        seconds(s.durationMs),
        String(Math.round((s.counts.read * 1000) / s.durationMs)),
      ]),
      [
        'total',
        String(report.totals.read),
        seconds(report.durationMs),
        String(Math.round((report.totals.read * 1000) / report.durationMs)),
      ],
    ]);
  } finally {
    await database.close();
  }
}

function mib(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(0)} MiB`;
}
