import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LayerMeter } from './layer-meter.js';
import { resolveLimits } from './limits.js';
import { createTarSink } from './tar-reader.js';
import type { TarHeader } from './tar-header.js';
import { END_OF_ARCHIVE, padded, paxRecords, tarHeader, tarOf } from './testing/tar-fixtures.js';

interface Seen {
  header: TarHeader;
  body: string;
}

function chunked(bytes: Buffer, size: number): Buffer[] {
  const out: Buffer[] = [];
  for (let offset = 0; offset < bytes.length; offset += size) out.push(bytes.subarray(offset, offset + size));
  return out;
}

async function entriesOf(bytes: Buffer, chunkSize = 100): Promise<Seen[]> {
  const seen: Seen[] = [];
  const meter = new LayerMeter(resolveLimits(), { decompressed: 0, captured: 0, entries: 0 });
  const sink = createTarSink(
    (header) => {
      const entry = { header, body: '' };
      seen.push(entry);
      return async (body) => {
        const parts: Buffer[] = [];
        for await (const chunk of body) parts.push(Buffer.from(chunk));
        entry.body = Buffer.concat(parts).toString('latin1');
      };
    },
    { meter, count: 'output' },
  );
  await pipeline(Readable.from(chunked(bytes, chunkSize)), sink);
  return seen;
}

const names = (seen: Seen[]) => seen.map((s) => s.header.name);

describe('tar reader', () => {
  it('reads what tar-stream writes, long names and links included', async () => {
    const long = `${'d'.repeat(120)}/${'f'.repeat(150)}`;
    const tar = await tarOf([
      { name: 'dir/', type: 'directory', mode: 0o750 },
      { name: 'dir/file', content: 'hello', mode: 0o755 },
      { name: long, content: 'long name' },
      { name: 'link', type: 'symlink', linkname: `../${'t'.repeat(130)}` },
      { name: 'hard', type: 'link', linkname: 'dir/file' },
      { name: 'fifo', type: 'fifo' },
    ]);
    const seen = await entriesOf(tar, 333);
    expect(
      seen.map((s) => [s.header.name, s.header.type, s.header.size, s.header.mode.toString(8), s.body]),
    ).toEqual([
      ['dir/', 'directory', 0, '750', ''],
      ['dir/file', 'file', 5, '755', 'hello'],
      [long, 'file', 9, '644', 'long name'],
      ['link', 'symlink', 0, '644', ''],
      ['hard', 'link', 0, '644', ''],
      ['fifo', 'other', 0, '644', ''],
    ]);
    expect(seen[3]!.header.linkname).toBe(`../${'t'.repeat(130)}`);
    expect(seen[4]!.header.linkname).toBe('dir/file');
  });

  it('gives the same entries whatever the chunk boundaries', async () => {
    const tar = await tarOf([
      { name: 'a', content: 'x'.repeat(700) },
      { name: `${'n'.repeat(150)}`, content: 'pax' },
      { name: 'b', content: '' },
      { name: 'c', content: 'y'.repeat(1024) },
    ]);
    const expected = await entriesOf(tar, tar.length);
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 2000 }), async (size) => {
        expect(await entriesOf(tar, size)).toEqual(expected);
      }),
      { numRuns: 60 },
    );
  });

  it('applies GNU long names and links to the next entry', async () => {
    const name = `usr/${'x'.repeat(200)}`;
    const link = `/opt/${'y'.repeat(150)}`;
    const tar = Buffer.concat([
      tarHeader({ name: '././@LongLink', flag: 'L', size: name.length + 1, format: 'gnu' }),
      padded(`${name}\u0000`),
      tarHeader({ name: '././@LongLink', flag: 'K', size: link.length + 1, format: 'gnu' }),
      padded(`${link}\u0000`),
      tarHeader({ name: 'truncated', flag: '2', linkname: 'truncated', format: 'gnu' }),
      tarHeader({ name: 'next', size: 2, format: 'gnu' }),
      padded('ok'),
      END_OF_ARCHIVE,
    ]);
    const seen = await entriesOf(tar);
    expect(seen.map((s) => [s.header.name, s.header.type, s.header.linkname])).toEqual([
      [name, 'symlink', link],
      ['next', 'file', ''],
    ]);
  });

  it('applies PAX path, linkpath and size to the next entry and ignores global headers', async () => {
    const pax = paxRecords({ path: 'real/name', linkpath: 'real/target', size: '3', mtime: '1.5' });
    const global = paxRecords({ path: 'global/should/not/apply' });
    const tar = Buffer.concat([
      tarHeader({ name: 'pax_global_header', flag: 'g', size: global.length }),
      padded(global),
      tarHeader({ name: 'PaxHeaders/x', flag: 'x', size: pax.length }),
      padded(pax),
      tarHeader({ name: 'short', size: 0 }),
      padded('abc'),
      tarHeader({ name: 'after', size: 1 }),
      padded('z'),
      END_OF_ARCHIVE,
    ]);
    const seen = await entriesOf(tar, 64);
    expect(seen.map((s) => [s.header.name, s.header.linkname, s.header.size, s.body])).toEqual([
      ['real/name', 'real/target', 3, 'abc'],
      ['after', '', 1, 'z'],
    ]);
  });

  it('joins the ustar prefix, reads v7 directories and base-256 sizes', async () => {
    const tar = Buffer.concat([
      tarHeader({ name: 'file', prefix: 'very/deep/prefix', size: 1 }),
      padded('p'),
      tarHeader({ name: 'olddir/', flag: '\u0000', format: 'v7' }),
      tarHeader({ name: 'big', size: 5, base256: true }),
      padded('12345'),
      END_OF_ARCHIVE,
    ]);
    const seen = await entriesOf(tar);
    expect(seen.map((s) => [s.header.name, s.header.type, s.header.size, s.body])).toEqual([
      ['very/deep/prefix/file', 'file', 1, 'p'],
      ['olddir/', 'directory', 0, ''],
      ['big', 'file', 5, '12345'],
    ]);
  });

  it('gives links, directories and devices no body whatever their size field says, as Go does', async () => {
    const tar = Buffer.concat([
      tarHeader({ name: 'sym', flag: '2', linkname: 'x', size: 1024 }),
      tarHeader({ name: 'hidden-from-tar-stream', size: 2 }),
      padded('hi'),
      END_OF_ARCHIVE,
    ]);
    const seen = await entriesOf(tar);
    expect(seen.map((s) => [s.header.name, s.header.size, s.body])).toEqual([
      ['sym', 0, ''],
      ['hidden-from-tar-stream', 2, 'hi'],
    ]);
  });

  it('skips the extension blocks of old GNU sparse files', async () => {
    const extension = Buffer.alloc(512);
    const tar = Buffer.concat([
      tarHeader({ name: 'sparse', flag: 'S', size: 4, format: 'gnu', sparseExtended: true }),
      extension,
      padded('data'),
      tarHeader({ name: 'next', size: 1 }),
      padded('n'),
      END_OF_ARCHIVE,
    ]);
    const seen = await entriesOf(tar);
    expect(seen.map((s) => [s.header.name, s.header.type, s.body])).toEqual([
      ['sparse', 'other', 'data'],
      ['next', 'file', 'n'],
    ]);
  });

  it('stops at the end-of-archive marker and reads past it without looking', async () => {
    const tar = Buffer.concat([
      tarHeader({ name: 'a', size: 1 }),
      padded('a'),
      END_OF_ARCHIVE,
      Buffer.from('garbage after the end'),
    ]);
    expect(names(await entriesOf(tar))).toEqual(['a']);
  });

  it('accepts an archive without its end marker', async () => {
    expect(names(await entriesOf(Buffer.concat([tarHeader({ name: 'a', size: 1 }), padded('a')])))).toEqual([
      'a',
    ]);
  });

  it.each([
    ['a bad checksum', Buffer.concat([tarHeader({ name: 'a', corrupt: true }), END_OF_ARCHIVE]), 'checksum'],
    [
      'a lone zero block before a header',
      Buffer.concat([Buffer.alloc(512), tarHeader({ name: 'a' }), END_OF_ARCHIVE]),
      'zero block',
    ],
    [
      'an entry cut short',
      Buffer.concat([tarHeader({ name: 'a', size: 1000 }), Buffer.alloc(600)]),
      'ends in the middle',
    ],
    ['a huge PAX header', tarHeader({ name: 'x', flag: 'x', size: 2 * 1024 * 1024 }), 'x header of'],
    [
      'a bad PAX record',
      Buffer.concat([
        tarHeader({ name: 'x', flag: 'x', size: 9 }),
        padded('99 path=a'),
        tarHeader({ name: 'a' }),
      ]),
      'PAX record',
    ],
  ])('rejects %s', async (_, tar, message) => {
    await expect(entriesOf(tar)).rejects.toMatchObject({
      code: 'SCAN_LAYER_FORMAT_INVALID',
      message: expect.stringContaining(message),
    });
  });

  it('moves on when a body reader settles without reading', async () => {
    const tar = await tarOf([
      { name: 'a', content: Buffer.alloc(100_000, 1) },
      { name: 'b', content: 'b' },
    ]);
    const meter = new LayerMeter(resolveLimits(), { decompressed: 0, captured: 0, entries: 0 });
    const seen: string[] = [];
    const sink = createTarSink(
      (header) => {
        seen.push(header.name);
        return () => Promise.resolve();
      },
      { meter, count: 'output' },
    );
    await pipeline(Readable.from(chunked(tar, 4096)), sink);
    expect(seen).toEqual(['a', 'b']);
  });

  it('lists what GNU tar writes in its gnu and pax formats, when it is installed', async (context) => {
    if (spawnSync('tar', ['--version']).status !== 0) context.skip('GNU tar is not installed');
    const dir = mkdtempSync(join(tmpdir(), 'airlock-tar-'));
    try {
      const src = join(dir, 'src');
      const deep = join(src, 'd'.repeat(120));
      mkdirSync(deep, { recursive: true });
      writeFileSync(join(deep, 'f'.repeat(150)), 'long');
      writeFileSync(join(src, 'sparse'), Buffer.alloc(0));
      spawnSync('truncate', ['-s', '5M', join(src, 'sparse')]);
      symlinkSync(`../${'t'.repeat(130)}`, join(src, 'longlink'));
      for (const format of ['gnu', 'pax']) {
        const archive = spawnSync('tar', [`--format=${format}`, '--sparse', '-cf', '-', '-C', src, '.'], {
          maxBuffer: 64 << 20,
        });
        const listed = spawnSync('tar', ['-tf', '-'], { input: archive.stdout })
          .stdout.toString()
          .trim()
          .split('\n');
        const seen = await entriesOf(archive.stdout, 65536);
        expect(names(seen).sort(), format).toEqual(listed.sort());
        // Sparse files are not offered as regular files: their body is not the file's bytes.
        expect(seen.find((s) => s.header.name === './sparse')?.header.type, format).toBe('other');
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
