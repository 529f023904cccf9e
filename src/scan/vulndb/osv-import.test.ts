import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  OSV_FIXTURES_DIR,
  readOsvFixture,
  readOsvFixtures,
  writeOsvZip,
} from '../../../test/fixtures/osv-records.js';
import { type ImportProblem, importOsvPath } from './osv-import.js';
import { MemoryAdvisoryStore } from './testing/memory-advisory-store.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'airlock-osv-import-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('importOsvPath', () => {
  it('imports a directory tree of records, skipping the malformed one with a message that names it', async () => {
    const store = new MemoryAdvisoryStore();
    const problems: ImportProblem[] = [];
    const files = await readOsvFixtures();
    const report = await importOsvPath(OSV_FIXTURES_DIR, {
      writer: store,
      onProblem: (p) => problems.push(p),
    });
    expect(report.sources).toHaveLength(1);
    expect(report.sources[0]).toMatchObject({
      kind: 'directory',
      source: OSV_FIXTURES_DIR.replace(/\/$/, ''),
    });
    expect(report.totals).toEqual({
      read: files.length,
      inserted: files.length - 1,
      updated: 0,
      unchanged: 0,
      malformed: 1,
      withdrawn: 2,
    });
    expect(problems).toEqual([
      {
        source: expect.any(String),
        entry: join(OSV_FIXTURES_DIR, 'Alpine', 'ALPINE-CVE-unassigned.json'),
        problem: '"id" "ALPINE-CVE-????-?????" is not an OSV identifier',
      },
    ]);
    expect(report.sources[0]!.problems).toEqual(problems);
    expect(store.advisories.get('DSA-5103-1')?.affected.map((a) => a.ecosystem)).toEqual([
      'Debian:10',
      'Debian:11',
    ]);
    expect(store.imports).toEqual([expect.objectContaining({ kind: 'directory', counts: report.totals })]);
  });

  it('is incremental: a second import of the same archive changes nothing', async () => {
    const archive = join(dir, 'Debian.zip');
    await writeOsvZip(archive, await readOsvFixtures(['Debian']));
    const store = new MemoryAdvisoryStore();
    const first = await importOsvPath(archive, { writer: store });
    expect(first.totals).toMatchObject({ read: 13, inserted: 13, unchanged: 0 });
    expect(first.sources[0]).toMatchObject({ kind: 'archive', source: archive });
    const second = await importOsvPath(archive, { writer: store });
    expect(second.totals).toEqual({
      read: 13,
      inserted: 0,
      updated: 0,
      unchanged: 13,
      malformed: 0,
      withdrawn: 0,
    });
  });

  it('replaces a stored record only with a newer one', async () => {
    const store = new MemoryAdvisoryStore();
    const original = JSON.parse(await readOsvFixture('Debian/DEBIAN-CVE-2022-0778.json')) as {
      modified: string;
      affected: { ranges: { events: object[] }[] }[];
    };
    await writeFile(join(dir, 'a.json'), JSON.stringify(original));
    await importOsvPath(join(dir, 'a.json'), { writer: store });

    const newer = structuredClone(original);
    newer.modified = '2024-01-01T00:00:00Z';
    newer.affected[2]!.ranges[0]!.events = [{ introduced: '0' }, { fixed: '3.0.0-1' }];
    await writeFile(join(dir, 'a.json'), JSON.stringify(newer));
    expect((await importOsvPath(join(dir, 'a.json'), { writer: store })).totals).toMatchObject({
      updated: 1,
      unchanged: 0,
    });
    expect(store.advisories.get('DEBIAN-CVE-2022-0778')!.affected[2]!.ranges[0]!.events).toEqual([
      { introduced: '0' },
      { fixed: '3.0.0-1' },
    ]);

    const older = structuredClone(original);
    older.modified = '2020-01-01T00:00:00Z';
    await writeFile(join(dir, 'a.json'), JSON.stringify(older));
    expect((await importOsvPath(join(dir, 'a.json'), { writer: store })).totals).toMatchObject({
      updated: 0,
      unchanged: 1,
    });
    expect(store.advisories.get('DEBIAN-CVE-2022-0778')!.modified).toBe('2024-01-01T00:00:00Z');
  });

  it('decides by content for Go records, whose modified is the zero time', async () => {
    const store = new MemoryAdvisoryStore();
    const text = await readOsvFixture('Go/GO-2023-2102.json');
    await writeFile(join(dir, 'go.json'), text);
    expect((await importOsvPath(join(dir, 'go.json'), { writer: store })).totals).toMatchObject({
      inserted: 1,
    });
    expect(store.advisories.get('GO-2023-2102')!.modified).toBeNull();
    expect((await importOsvPath(join(dir, 'go.json'), { writer: store })).totals).toMatchObject({
      unchanged: 1,
    });
    await writeFile(join(dir, 'go.json'), text.replace('"fixed": "0.17.0"', '"fixed": "0.17.1"'));
    expect((await importOsvPath(join(dir, 'go.json'), { writer: store })).totals).toMatchObject({
      updated: 1,
    });
  });

  it('reads files holding an array of records, and reports JSON that does not parse', async () => {
    const store = new MemoryAdvisoryStore();
    const records = [JSON.parse(await readOsvFixture('PyPI/PYSEC-2023-74.json')), { id: 'BROKEN-1' }];
    await mkdir(join(dir, 'nested'));
    await writeFile(join(dir, 'nested', 'all.json'), JSON.stringify(records));
    await writeFile(join(dir, 'torn.json'), '{"id": "X-1", "modified": ');
    const problems: ImportProblem[] = [];
    const report = await importOsvPath(dir, { writer: store, onProblem: (p) => problems.push(p) });
    expect(report.totals).toMatchObject({ read: 3, inserted: 1, malformed: 2 });
    expect(problems.map((p) => [p.entry.replace(dir, ''), p.problem.replace(/:.*$/, '')])).toEqual([
      ['/nested/all.json[1]', '"modified" is missing'],
      ['/torn.json', 'not valid JSON'],
    ]);
  });

  it('imports each archive of a directory as its own source, in batches', async () => {
    await writeOsvZip(join(dir, 'Go.zip'), await readOsvFixtures(['Go']), { level: 0 });
    await writeOsvZip(join(dir, 'PyPI.zip'), await readOsvFixtures(['PyPI']));
    await writeFile(join(dir, 'extra.json'), await readOsvFixture('npm/MAL-2025-1332.json'));
    const store = new MemoryAdvisoryStore();
    const report = await importOsvPath(dir, { writer: store, batchSize: 2 });
    expect(report.sources.map((s) => [s.source.replace(dir, ''), s.kind, s.counts.inserted])).toEqual([
      ['/Go.zip', 'archive', 3],
      ['/PyPI.zip', 'archive', 2],
      ['', 'directory', 1],
    ]);
    expect(store.batches).toEqual([2, 1, 2, 1]);
    expect(report.sources[0]!.counts.withdrawn).toBe(1);
  });

  it('writes a repeated id against the stored copy of the first, not in one batch', async () => {
    const text = await readOsvFixture('Debian/DSA-5103-1.json');
    await writeFile(join(dir, 'a.json'), text);
    await writeFile(
      join(dir, 'b.json'),
      text.replace('"modified":"2022-03-15T00:00:00Z"', '"modified":"2022-03-16T00:00:00Z"'),
    );
    const store = new MemoryAdvisoryStore();
    const report = await importOsvPath(dir, { writer: store });
    expect(report.totals).toMatchObject({ read: 2, inserted: 1, updated: 1 });
    expect(store.batches).toEqual([1, 1]);
  });

  it('fails clearly for a path that is not there or holds no records', async () => {
    const store = new MemoryAdvisoryStore();
    await expect(importOsvPath(join(dir, 'missing'), { writer: store })).rejects.toMatchObject({
      code: 'SCAN_VULNDB_SOURCE_INVALID',
      message: expect.stringContaining('no such file or directory'),
    });
    await expect(importOsvPath(dir, { writer: store })).rejects.toThrow(
      /contains no \.json records and no \.zip archives/,
    );
    await writeFile(join(dir, 'notes.txt'), 'x');
    await expect(importOsvPath(join(dir, 'notes.txt'), { writer: store })).rejects.toThrow(
      /neither a \.zip archive/,
    );
  });
});
