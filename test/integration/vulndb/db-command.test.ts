import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { type IncomingHttpHeaders, type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { updateVulnerabilityData } from '../../../src/app/vulndb-service.js';
import { isolatedEnv, runCli } from '../../e2e/cli-harness.js';
import { readOsvFixtures, writeOsvZip } from '../../fixtures/osv-records.js';
import { type TestDatabase, createTestDatabase } from '../../harness/postgres.js';

/**
 * `airlock db import|update|status` against a real Postgres, with OSV's archive bucket played
 * by a local HTTP server (this machine has no internet; the base URL is what a mirror would
 * set too).
 */

let testDb: TestDatabase;
let dir: string;
let env: NodeJS.ProcessEnv;
let server: Server;
let baseUrl: string;
const requests: { url: string; headers: IncomingHttpHeaders }[] = [];

beforeAll(async () => {
  testDb = await createTestDatabase();
  dir = await mkdtemp(join(tmpdir(), 'airlock-db-cli-'));
  env = { ...isolatedEnv(dir), DATABASE_URL: testDb.connectionString };
  await writeOsvZip(join(dir, 'Debian.zip'), await readOsvFixtures(['Debian']));
  await writeOsvZip(join(dir, 'Alpine.zip'), await readOsvFixtures(['Alpine']));
  const debian = await readFile(join(dir, 'Debian.zip'));
  const alpine = await readFile(join(dir, 'Alpine.zip'));
  const etag = `"${createHash('sha256').update(debian).digest('hex').slice(0, 16)}"`;
  server = createServer((request, response) => {
    requests.push({ url: request.url ?? '', headers: request.headers });
    if (request.url === '/Debian/all.zip') {
      if (request.headers['if-none-match'] === etag) return void response.writeHead(304, { etag }).end();
      return void response
        .writeHead(200, { 'content-type': 'application/zip', 'content-length': debian.length, etag })
        .end(debian);
    }
    if (request.url === '/Alpine/all.zip')
      return void response.writeHead(200, { 'content-length': alpine.length }).end(alpine);
    if (request.url === '/Rocky%20Linux/all.zip')
      return void response.writeHead(503, { 'content-type': 'text/plain' }).end('bucket is resting');
    response
      .writeHead(404, { 'content-type': 'application/xml' })
      .end('<Error><Code>NoSuchKey</Code></Error>');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((resolve) => server?.close(resolve));
  await testDb?.drop();
  await rm(dir, { recursive: true, force: true });
});

describe('airlock db', () => {
  it('import: loads archives, prints counts per source and names the malformed record', async () => {
    const run = await runCli(['db', 'import', dir, '--data', join(dir, 'data')], env);
    expect(run.code, run.stderr).toBe(0);
    const lines = run.stdout.trim().split('\n');
    expect(lines[0]).toMatch(
      /^SOURCE\s+READ\s+NEW\s+UPDATED\s+UNCHANGED\s+MALFORMED\s+WITHDRAWN\s+TIME\s+RATE$/,
    );
    expect(lines[1]).toMatch(
      new RegExp(`^${join(dir, 'Alpine.zip')}\\s+5\\s+4\\s+0\\s+0\\s+1\\s+0\\s+\\S+ m?s\\s+\\d+ records/s$`),
    );
    expect(lines[2]).toMatch(new RegExp(`^${join(dir, 'Debian.zip')}\\s+13\\s+13\\s+0\\s+0\\s+0\\s+0\\s`));
    expect(lines[3]).toMatch(/^total\s+18\s+17\s+0\s+0\s+1\s+0\s/);
    expect(run.stderr).toContain(
      'warning: skipped Alpine.zip:ALPINE-CVE-unassigned.json: "id" "ALPINE-CVE-????-?????" is not an OSV identifier',
    );

    const json = await runCli(['db', 'import', join(dir, 'Debian.zip'), '--json'], env);
    expect(JSON.parse(json.stdout)).toMatchObject({ totals: { read: 13, unchanged: 13, inserted: 0 } });
  });

  it('status: shows sources, ecosystems and times', async () => {
    const run = await runCli(['db', 'status'], env);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^Database: postgres:\/\/\[REDACTED\]@127\.0\.0\.1:\d+\/test_\w+\n/);
    expect(run.stdout).toMatch(
      /Advisories: 17 \(newest modified 2024-12-24T08:23:08Z, last import \d{4}-\d\d-\d\dT[\d:]{8}Z\)/,
    );
    expect(run.stdout).toMatch(
      new RegExp(`${join(dir, 'Debian.zip')}\\s+archive\\s+13\\s+0\\s+2023-07-14T07:39:10Z`),
    );
    expect(run.stdout).toMatch(
      /\nECOSYSTEM\s+ADVISORIES\s+PACKAGE ENTRIES\nAlpine\s+4\s+\d+\nDebian\s+13\s+38\n/,
    );
    const json = JSON.parse((await runCli(['db', 'status', '--json'], env)).stdout) as {
      advisories: number;
      sources: { name: string }[];
    };
    expect(json.advisories).toBe(17);
    expect(json.sources.map((s) => s.name)).toEqual([join(dir, 'Alpine.zip'), join(dir, 'Debian.zip')]);
  });

  it('update: downloads and imports each ecosystem, conditionally the second time, and reports the ones that fail', async () => {
    const first = await runCli(
      ['db', 'update', '--base-url', baseUrl, '--ecosystem', 'Debian', '--ecosystem', 'PyPI'],
      env,
    );
    expect(first.code).toBe(5);
    // The records were imported from a file before: the same content is not newer.
    expect(first.stderr).toMatch(
      /^Debian: downloaded 0\.0 MiB, 13 records: 0 new, 0 updated, 13 unchanged, 0 malformed, 0 withdrawn in /m,
    );
    expect(first.stderr).toContain(
      `PyPI: failed: GET ${baseUrl}/PyPI/all.zip answered 404 (no such archive: check the ecosystem name): <Error><Code>NoSuchKey</Code></Error>`,
    );

    const second = await runCli(
      ['db', 'update', '--base-url', baseUrl, '--ecosystem', 'Debian', '--json'],
      env,
    );
    expect(second.code, second.stderr).toBe(0);
    expect(JSON.parse(second.stdout)).toEqual({
      ecosystems: [{ ecosystem: 'Debian', url: `${baseUrl}/Debian/all.zip`, outcome: 'not-modified' }],
    });
    const debianRequests = requests.filter((r) => r.url === '/Debian/all.zip');
    expect(debianRequests.map((r) => r.headers['if-none-match'])).toEqual([
      undefined,
      expect.stringMatching(/^"[0-9a-f]{16}"$/),
    ]);

    const status = JSON.parse((await runCli(['db', 'status', '--json'], env)).stdout) as {
      sources: { name: string; kind: string; advisories: number }[];
    };
    expect(status.sources).toContainEqual(
      expect.objectContaining({ name: `${baseUrl}/Debian/all.zip`, kind: 'download', advisories: 13 }),
    );
  });

  it('update: encodes ecosystem names and marks server errors retryable', async () => {
    const report = await updateVulnerabilityData({
      dataDir: join(dir, 'data'),
      env,
      baseUrl: `${baseUrl}/`,
      ecosystems: ['Rocky Linux'],
    });
    expect(report.ecosystems).toEqual([
      expect.objectContaining({
        ecosystem: 'Rocky Linux',
        url: `${baseUrl}/Rocky%20Linux/all.zip`,
        outcome: 'failed',
        error: expect.objectContaining({ retryable: true }),
      }),
    ]);
    const limited = await updateVulnerabilityData({
      dataDir: join(dir, 'data'),
      env,
      baseUrl,
      ecosystems: ['Alpine'],
      download: { maxBytes: 100 },
    });
    expect(limited.ecosystems).toEqual([
      expect.objectContaining({
        outcome: 'failed',
        error: expect.objectContaining({
          message: expect.stringMatching(/all\.zip is \d+ bytes, over the 100-byte limit$/),
        }),
      }),
    ]);
  });

  it('update: says clearly when there is no network at all', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const run = await runCli(
      [
        'db',
        'update',
        '--base-url',
        `http://127.0.0.1:${port}`,
        '--ecosystem',
        'Debian',
        '--ecosystem',
        'Alpine',
      ],
      env,
    );
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(
      `error: cannot reach 127.0.0.1:${port} (ECONNREFUSED): this machine seems to have no network access to it.`,
    );
    expect(run.stderr).toContain('"airlock db import PATH"');
    expect(run.stderr).not.toContain('Alpine:');
  });

  it('import: a path that does not exist is an error naming it', async () => {
    const run = await runCli(['db', 'import', join(dir, 'nowhere')], env);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(
      `error: cannot read ${join(dir, 'nowhere')}: no such file or directory [SCAN_VULNDB_SOURCE_INVALID]`,
    );
  });
});
