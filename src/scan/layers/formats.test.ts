import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { readFilesystem } from './read-filesystem.js';
import { sniffFormat } from './layer-format.js';
import { LayerNoticeCode } from './notices.js';
import { gzipOf, layerOf, tarOf, zstdOf } from './testing/tar-fixtures.js';
import type { FileSelector } from './types.js';

const all: FileSelector = { select: () => ({ kind: 'content', maxBytes: 1 << 20 }) };
const payload = Buffer.from(Array.from({ length: 300_000 }, (_, i) => (i * 7919) % 251));

async function sampleTar(): Promise<Buffer> {
  return tarOf([
    { name: 'etc/os-release', content: 'ID=alpine\n' },
    { name: 'usr/lib/payload.bin', content: payload },
  ]);
}

function zstdCli(data: Buffer): Buffer | undefined {
  const run = spawnSync('zstd', ['-q', '-c', '-3'], { input: data, maxBuffer: 64 << 20 });
  return run.status === 0 ? run.stdout : undefined;
}

describe('layer formats, recognised by their bytes', () => {
  it.each([
    ['gzip', (tar: Buffer) => gzipOf(tar)],
    ['zstd (raw blocks)', (tar: Buffer) => zstdOf(tar)],
    [
      'two gzip members',
      (tar: Buffer) => Buffer.concat([gzipOf(tar.subarray(0, 1000)), gzipOf(tar.subarray(1000))]),
    ],
    ['uncompressed tar', (tar: Buffer) => tar],
  ])('reads %s whatever the media type says', async (_, encode) => {
    const blob = encode(await sampleTar());
    const fs = await readFilesystem(
      [layerOf(blob, 'application/vnd.oci.image.layer.v1.tar+gzip', 1000)],
      [all],
    );
    expect(fs.get('/etc/os-release')?.content?.toString()).toBe('ID=alpine\n');
    expect(fs.get('/usr/lib/payload.bin')?.content?.equals(payload)).toBe(true);
    expect(fs.notices).toEqual([]);
  });

  it('reads zstd as the zstd tool compresses it, when the tool is installed', async (context) => {
    const tar = await sampleTar();
    const blob = zstdCli(tar);
    if (blob === undefined) context.skip('zstd is not installed');
    const fs = await readFilesystem(
      [layerOf(blob!, 'application/vnd.oci.image.layer.v1.tar+zstd', 4096)],
      [all],
    );
    expect(fs.get('/usr/lib/payload.bin')?.content?.equals(payload)).toBe(true);
  });

  it('reads an empty layer', async () => {
    const fs = await readFilesystem([layerOf(gzipOf(await tarOf([]))), layerOf(Buffer.alloc(0))], [all]);
    expect(fs.files.size).toBe(0);
    expect(fs.notices).toEqual([]);
  });

  it('names what it cannot read and goes on with the next layer', async () => {
    const xz = Buffer.from([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00, 1, 2, 3]);
    const fs = await readFilesystem(
      [layerOf(xz, 'application/vnd.oci.image.layer.v1.tar+gzip'), layerOf(gzipOf(await sampleTar()))],
      [all],
    );
    expect(fs.get('/etc/os-release')).toBeDefined();
    expect(fs.notices).toEqual([
      expect.objectContaining({
        code: LayerNoticeCode.CompressionUnsupported,
        message: expect.stringMatching(
          /^layer 0 \(sha256:[0-9a-f]{64}\) was not read: .* holds xz-compressed data/,
        ),
      }),
    ]);
  });

  it.each([
    ['gzip', (tar: Buffer) => gzipOf(tar)],
    ['zstd', (tar: Buffer) => zstdOf(tar)],
    ['tar', (tar: Buffer) => tar],
  ])('keeps what came before the point where %s data is cut off', async (_, encode) => {
    const tar = await tarOf([
      { name: 'first', content: 'kept' },
      { name: 'second', content: Buffer.alloc(400_000, 1) },
    ]);
    const blob = encode(tar);
    const fs = await readFilesystem([layerOf(blob.subarray(0, Math.floor(blob.length * 0.6)))], [all]);
    expect(fs.get('/first')?.content?.toString()).toBe('kept');
    expect(fs.get('/second')).toBeUndefined();
    expect(fs.notices).toEqual([
      expect.objectContaining({
        code: LayerNoticeCode.LayerUnreadable,
        message: expect.stringContaining('is corrupt after'),
      }),
    ]);
  });

  it('reports corrupt compressed data', async () => {
    const blob = gzipOf(await sampleTar());
    blob.fill(0x55, 40, 400);
    const fs = await readFilesystem([layerOf(blob)], [all]);
    expect(fs.notices).toEqual([
      expect.objectContaining({
        code: LayerNoticeCode.LayerUnreadable,
        message: expect.stringContaining('gzip data is corrupt'),
      }),
    ]);
  });

  it('reports a tar header with a bad checksum', async () => {
    const tar = await sampleTar();
    // The second entry's header starts at 1024: its name's first byte.
    tar[1024] = (tar[1024]! + 1) % 256;
    const fs = await readFilesystem([layerOf(tar)], [all]);
    expect(fs.notices).toEqual([
      expect.objectContaining({
        code: LayerNoticeCode.LayerUnreadable,
        message: expect.stringContaining('tar data is corrupt'),
      }),
    ]);
  });
});

describe('sniffFormat', () => {
  it('tells formats apart by magic bytes', async () => {
    const tar = await sampleTar();
    expect(sniffFormat(gzipOf(tar)).format).toBe('gzip');
    expect(sniffFormat(zstdOf(tar)).format).toBe('zstd');
    expect(sniffFormat(Buffer.from([0x50, 0x2a, 0x4d, 0x18, 0, 0, 0, 0])).format).toBe('zstd');
    expect(sniffFormat(tar).format).toBe('tar');
    expect(sniffFormat(Buffer.alloc(1024)).format).toBe('tar');
    expect(sniffFormat(Buffer.from('BZh91AY&SY'))).toEqual({
      format: undefined,
      description: 'bzip2-compressed data',
    });
    expect(sniffFormat(Buffer.from('hello world'))).toEqual({
      format: undefined,
      description: 'data of an unknown format (first bytes 68656c6c6f20776f)',
    });
  });
});
