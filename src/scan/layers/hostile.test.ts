import { Readable } from 'node:stream';
import { createGzip } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { AppError, OciError } from '../../kernel/index.js';
import { readFilesystem } from './read-filesystem.js';
import { LayerNoticeCode, MAX_NOTICES_PER_CODE } from './notices.js';
import {
  gzipOf,
  layerOf,
  streamedLayer,
  streamedTar,
  tarOf,
  ustarHeader,
  zstdOf,
  zstdRleBomb,
  type StreamedFile,
} from './testing/tar-fixtures.js';
import type { FileSelector, LayerSource } from './types.js';

const MiB = 1024 * 1024;
const GiB = 1024 * MiB;
/** The largest size a ustar header's 11 octal digits hold. */
const HUGE = 8 ** 11 - 1;

const wantsAfter: FileSelector = {
  select: (entry) => (entry.path === '/after' ? { kind: 'content', maxBytes: 1024 } : undefined),
};

function gzipStream(files: StreamedFile[], level = 1): Readable {
  return Readable.from(streamedTar(files), { objectMode: false }).pipe(createGzip({ level }));
}

async function after(): Promise<LayerSource> {
  return layerOf(gzipOf(await tarOf([{ name: 'after', content: 'still read' }])));
}

function limitNotices(notices: { code: string; message: string }[]): string[] {
  return notices.filter((n) => n.code === LayerNoticeCode.LayerLimit).map((n) => n.message);
}

describe('decompression bombs', () => {
  it('abandons a gzip layer of zeros once the ratio passes the limit, and reads the next layer', async () => {
    const bomb = streamedLayer(
      () => gzipStream([{ name: 'bomb', size: HUGE }], 9),
      'application/vnd.oci.image.layer.v1.tar+gzip',
    );
    const started = performance.now();
    const fs = await readFilesystem([bomb, await after()], [wantsAfter]);
    expect(performance.now() - started).toBeLessThan(20_000);
    expect(fs.get('/after')?.content?.toString()).toBe('still read');
    expect(fs.exists('/bomb')).toBe(true);
    expect(limitNotices(fs.notices)).toEqual([
      expect.stringMatching(
        /^layer 0 \(sha256:[0-9a-f]+\) was abandoned after 64\.\d MiB: decompression ratio above 200:1 .*maxDecompressionRatio/,
      ),
    ]);
  });

  it('abandons a zstd layer of RLE blocks before it expands in memory', async () => {
    // 100,000 blocks of 128 KiB: 12.5 GiB of zeros from 400 KB.
    const bomb = streamedLayer(
      () => zstdRleBomb(ustarHeader('bomb', HUGE), 100_000),
      'application/vnd.oci.image.layer.v1.tar+zstd',
    );
    const before = process.memoryUsage().arrayBuffers;
    const fs = await readFilesystem([bomb, await after()], [wantsAfter]);
    expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(100 * MiB);
    expect(fs.get('/after')?.content?.toString()).toBe('still read');
    expect(limitNotices(fs.notices)).toEqual([expect.stringContaining('maxDecompressionRatio')]);
  });

  it('checks the ratio as bytes flow, after the grace amount', async () => {
    const bomb = streamedLayer(() => gzipStream([{ name: 'bomb', size: HUGE }], 9));
    const fs = await readFilesystem([bomb], [], {
      limits: { ratioGraceBytes: MiB, maxDecompressionRatio: 50 },
    });
    expect(limitNotices(fs.notices)).toEqual([
      expect.stringMatching(/abandoned after 1\.\d MiB: decompression ratio above 50:1/),
    ]);
  });
});

describe('size and entry limits', () => {
  it('abandons a layer past its decompressed size limit, keeping what came before', async () => {
    const layer = layerOf(
      await tarOf([
        { name: 'before', content: 'kept' },
        { name: 'big', content: Buffer.alloc(4 * MiB) },
        { name: 'after', content: 'never reached' },
      ]),
    );
    const fs = await readFilesystem(
      [layer, await after()],
      [{ select: () => ({ kind: 'content', maxBytes: 64 }) }],
      {
        limits: { maxDecompressedBytesPerLayer: MiB },
      },
    );
    expect(fs.get('/before')?.content?.toString()).toBe('kept');
    expect(fs.get('/after')?.content?.toString()).toBe('still read');
    expect(limitNotices(fs.notices)).toEqual([
      expect.stringMatching(
        /^layer 0 .* abandoned after 1\.\d MiB: more than 1\.0 MiB decompressed \(maxDecompressedBytesPerLayer\); files after that point are not inventoried$/,
      ),
    ]);
  });

  it('stops reading layers past the image-wide decompressed limit and says which were skipped', async () => {
    const layer = async (name: string) =>
      layerOf(gzipOf(await tarOf([{ name, content: Buffer.alloc(600 * 1024) }])));
    const fs = await readFilesystem(
      [await layer('a'), await layer('b'), await layer('c'), await layer('d')],
      [],
      {
        limits: { maxDecompressedBytesPerImage: MiB },
      },
    );
    expect(fs.exists('/a')).toBe(true);
    expect(fs.exists('/c')).toBe(false);
    expect(limitNotices(fs.notices)).toEqual([
      expect.stringMatching(/^layer 1 .* \(maxDecompressedBytesPerImage\)/),
      'layers 2 to 3 were not read: an image-wide limit was reached',
    ]);
  });

  it('stops at the entry limit', async () => {
    const entries = Array.from({ length: 50 }, (_, i) => ({ name: `f${i}`, content: 'x' }));
    const fs = await readFilesystem([layerOf(await tarOf(entries)), await after()], [], {
      limits: { maxEntriesPerImage: 10 },
    });
    expect(fs.exists('/f9')).toBe(true);
    expect(fs.exists('/f10')).toBe(false);
    expect(fs.exists('/after')).toBe(false);
    expect(limitNotices(fs.notices)).toEqual([
      expect.stringContaining('more than 10 tar entries in the image (maxEntriesPerImage)'),
      'layer 1 was not read: an image-wide limit was reached',
    ]);
  });

  it('keeps a few notices of each kind and counts the rest', async () => {
    const entries = Array.from({ length: 100 }, (_, i) => ({ name: `../escape${i}`, content: 'x' }));
    const fs = await readFilesystem([layerOf(await tarOf(entries))], []);
    expect(fs.notices).toHaveLength(MAX_NOTICES_PER_CODE + 1);
    expect(fs.notices.at(-1)).toEqual({
      level: 'warning',
      code: LayerNoticeCode.EntryDropped,
      message: `${100 - MAX_NOTICES_PER_CODE} more notices of this kind were omitted`,
    });
  });

  it('rejects limits that are not positive numbers', async () => {
    await expect(readFilesystem([], [], { limits: { maxDecompressionRatio: 0 } })).rejects.toMatchObject({
      code: 'USAGE_INVALID',
    });
  });
});

describe('huge files', () => {
  it('drains a 1 GiB file nobody wants without holding it', async () => {
    const layer = streamedLayer(() =>
      streamedTar([
        { name: 'disk.img', size: GiB },
        { name: 'after', content: Buffer.from('ok') },
      ]),
    );
    const before = process.memoryUsage().rss;
    const started = performance.now();
    const fs = await readFilesystem([layer], [wantsAfter]);
    const seconds = (performance.now() - started) / 1000;
    expect(fs.get('/after')?.content?.toString()).toBe('ok');
    expect(fs.exists('/disk.img')).toBe(true);
    expect(seconds).toBeLessThan(15);
    expect(process.memoryUsage().rss - before).toBeLessThan(200 * MiB);
  });

  it('does not read a huge wanted file past its cap, and says so', async () => {
    const layer = streamedLayer(() =>
      streamedTar([
        { name: 'var/lib/rpm/rpmdb.sqlite', size: 2 * GiB },
        { name: 'after', content: Buffer.from('ok') },
      ]),
    );
    const everything: FileSelector = { select: () => ({ kind: 'content', maxBytes: 64 * MiB }) };
    const fs = await readFilesystem([layer], [everything]);
    expect(fs.files.get('/var/lib/rpm/rpmdb.sqlite')?.content).toBeUndefined();
    expect(fs.get('/after')?.content?.toString()).toBe('ok');
    expect(fs.notices).toEqual([
      expect.objectContaining({
        code: LayerNoticeCode.FileTooLarge,
        message:
          '/var/lib/rpm/rpmdb.sqlite is 2.0 GiB, more than the 64.0 MiB a detector reads; it was not read',
      }),
    ]);
  });
});

describe('cancellation and read failures', () => {
  it('stops reading when the signal aborts', async () => {
    const endless = streamedLayer(() => streamedTar([{ name: 'endless', size: HUGE }]));
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    const probe: FileSelector = {
      select: () => ({
        kind: 'probe',
        probe: async (chunks) => {
          let n = 0;
          for await (const chunk of chunks) n += chunk.length;
          return n;
        },
      }),
    };
    await expect(readFilesystem([endless], [probe], { signal: controller.signal })).rejects.toMatchObject({
      code: 'ABORTED',
    });
  });

  it('does not start when the signal has aborted', async () => {
    let opened = false;
    const layer: LayerSource = {
      descriptor: { mediaType: 'x', digest: 'sha256:' + '0'.repeat(64), size: 0 },
      open: () => {
        opened = true;
        return Promise.resolve(Readable.from([]));
      },
    };
    await expect(readFilesystem([layer], [], { signal: AbortSignal.abort() })).rejects.toMatchObject({
      code: 'ABORTED',
    });
    expect(opened).toBe(false);
  });

  it.each([
    ['gzip', gzipOf],
    ['zstd', zstdOf],
    ['tar', (tar: Buffer) => tar],
  ])("fails with the store's error, naming the layer, when a %s blob cannot be read", async (_, encode) => {
    const good = encode(await tarOf([{ name: 'x', content: Buffer.alloc(300_000, 7) }]));
    const digest = 'sha256:' + 'a'.repeat(64);
    const tampered: LayerSource = {
      descriptor: { mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', digest, size: good.length },
      open: () =>
        Promise.resolve(
          Readable.from(
            (async function* () {
              yield good.subarray(0, 1000);
              throw new OciError('OCI_DIGEST_MISMATCH', `content digest does not match expected ${digest}`, {
                digest,
              });
            })(),
          ),
        ),
    };
    const error: unknown = await readFilesystem([await after(), tampered], []).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({
      code: 'OCI_DIGEST_MISMATCH',
      message: `layer 1 (${digest}): content digest does not match expected ${digest}`,
      details: { layer: 1, digest },
    });
  });

  it('fails with SCAN_LAYER_READ_FAILED when a layer cannot be opened', async () => {
    const missing: LayerSource = {
      descriptor: { mediaType: 'x', digest: 'sha256:' + 'b'.repeat(64), size: 1 },
      open: () => Promise.reject(new Error('ENOENT: no such file')),
    };
    await expect(readFilesystem([missing], [])).rejects.toMatchObject({
      code: 'SCAN_LAYER_READ_FAILED',
      message: expect.stringContaining('layer 0 (sha256:bbbb'),
      retryable: true,
    });
  });
});
