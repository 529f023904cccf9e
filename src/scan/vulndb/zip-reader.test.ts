import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { zipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../kernel/index.js';
import { buildZip } from './testing/zip-writer.js';
import { type ZipEntryData, readZipEntries } from './zip-reader.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'airlock-zip-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function readAll(
  bytes: Buffer | Uint8Array,
  options: Parameters<typeof readZipEntries>[1] = {},
): Promise<ZipEntryData[]> {
  const path = join(dir, `${Math.random().toString(36).slice(2)}.zip`);
  await writeFile(path, bytes);
  const out: ZipEntryData[] = [];
  for await (const entry of readZipEntries(path, options)) out.push(entry);
  return out;
}

const text = (entry: ZipEntryData) => (entry.ok ? entry.data.toString('utf8') : `problem: ${entry.problem}`);

describe('readZipEntries', () => {
  it('reads stored and deflated entries of an archive written by another implementation (fflate)', async () => {
    const big = '{"id":"X"}'.repeat(10_000);
    const zip = zipSync(
      {
        'a.json': new TextEncoder().encode('{"id":"A"}'),
        'dir/b.json': [new TextEncoder().encode(big), { level: 9 }],
        'dir/': new Uint8Array(),
      },
      { level: 0 },
    );
    const entries = await readAll(zip);
    expect(entries.map((e) => [e.entry.name, e.entry.method])).toEqual([
      ['a.json', 0],
      ['dir/b.json', 8],
    ]);
    expect(entries.map(text)).toEqual(['{"id":"A"}', big]);
  });

  it('reads ZIP64 archives with data descriptors, as large OSV archives are written', async () => {
    const zip = buildZip(
      [
        { name: 'GO-1.json', data: Buffer.from('one'), method: 'deflate' },
        { name: 'GO-2.json', data: Buffer.from('two'), method: 'store' },
      ],
      { zip64: true, dataDescriptor: true },
    );
    expect((await readAll(zip)).map(text)).toEqual(['one', 'two']);
  });

  it('skips entries the filter rejects without reading them', async () => {
    const zip = buildZip([
      { name: 'README.md', data: Buffer.from('x'), declaredCrc: 1 },
      { name: 'A.json', data: Buffer.from('a') },
    ]);
    expect(
      (await readAll(zip, { accept: (name) => name.endsWith('.json') })).map((e) => e.entry.name),
    ).toEqual(['A.json']);
  });

  it('reports a damaged entry and goes on with the next', async () => {
    const zip = buildZip([
      { name: 'bad.json', data: Buffer.from('payload'), declaredCrc: 0x12345678 },
      { name: 'good.json', data: Buffer.from('fine') },
    ]);
    const entries = await readAll(zip);
    expect(entries.map(text)).toEqual(['problem: its CRC-32 does not match', 'fine']);
  });

  it('refuses to inflate past the declared size (a zip bomb) or past the entry limit', async () => {
    const bomb = buildZip([
      { name: 'bomb.json', data: Buffer.alloc(1_000_000), method: 'deflate', declaredSize: 100 },
    ]);
    const [entry] = await readAll(bomb);
    expect(entry?.ok).toBe(false);
    expect(text(entry!)).toMatch(/does not inflate|inflated to/);
    const large = buildZip([{ name: 'large.json', data: Buffer.alloc(2048), method: 'deflate' }]);
    expect(text((await readAll(large, { maxEntryBytes: 1024 }))[0]!)).toBe(
      'problem: the entry is 2048 bytes, over the 1024-byte limit',
    );
  });

  it('fails with a clear error on a file that is not a ZIP archive or is truncated', async () => {
    const notZip = readAll(Buffer.from('{"id":"not a zip"}'));
    await expect(notZip).rejects.toBeInstanceOf(AppError);
    await expect(notZip).rejects.toThrow(/not a readable ZIP archive: no end-of-central-directory record/);
    const zip = buildZip([{ name: 'A.json', data: Buffer.from('a'.repeat(100)) }]);
    const truncated = Buffer.concat([zip.subarray(0, 40), zip.subarray(zip.length - 22)]);
    await expect(readAll(truncated)).rejects.toMatchObject({ code: 'SCAN_VULNDB_SOURCE_INVALID' });
  });

  it('stops when cancelled', async () => {
    const zip = buildZip([{ name: 'A.json', data: Buffer.from('a') }]);
    const controller = new AbortController();
    controller.abort();
    await expect(readAll(zip, { signal: controller.signal })).rejects.toMatchObject({ code: 'ABORTED' });
  });
});
