import { readdir, mkdtemp, rm, stat, writeFile, readFile, truncate } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { createHash } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { digestOf } from '../../kernel/index.js';
import { expectAppError } from '../content/testing/assertions.js';
import {
  blobFixture,
  imageFixture,
  pushFixture,
  readAll,
  seededBytes,
  streamOf,
} from '../content/testing/fixtures.js';
import type { Descriptor } from '../manifest/index.js';
import { OciLayoutStore } from './layout-store.js';

const MiB = 1024 * 1024;

describe('OciLayoutStore integrity', () => {
  let directory: string;
  let root: string;
  let store: OciLayoutStore;
  beforeEach(async () => {
    directory = await mkdtemp(join(tmpdir(), 'airlock-layout-'));
    root = join(directory, 'layout');
    store = await OciLayoutStore.open(root, { create: true });
  });
  afterEach(() => rm(directory, { recursive: true, force: true }));

  function fileOf(descriptor: Descriptor): string {
    const [algorithm, encoded] = descriptor.digest.split(':') as [string, string];
    return join(root, 'blobs', algorithm, encoded);
  }
  async function temporaryFiles(): Promise<string[]> {
    return (await readdir(join(root, 'blobs'))).filter((name) => name.startsWith('.'));
  }

  it('stores blobs at blobs/<algorithm>/<encoded>, sha512 included', async () => {
    const bytes = seededBytes(1, 3000);
    const descriptor: Descriptor = {
      mediaType: 'application/octet-stream',
      digest: digestOf(bytes, 'sha512'),
      size: bytes.length,
    };
    await store.pushBlob(descriptor, streamOf(bytes));
    expect((await readFile(fileOf(descriptor))).equals(bytes)).toBe(true);
    expect(fileOf(descriptor)).toContain(join('blobs', 'sha512'));
  });

  it('detects a corrupt blob file on fetch and withholds its last bytes', async () => {
    const blob = blobFixture(seededBytes(2, 200_000));
    await store.pushBlob(blob.descriptor, streamOf(blob.bytes));
    const corrupt = Buffer.from(blob.bytes);
    corrupt[1000]! ^= 0x01;
    await writeFile(fileOf(blob.descriptor), corrupt);

    const received: Buffer[] = [];
    const stream = await store.fetchBlob(blob.descriptor);
    await expectAppError(
      async () => {
        for await (const chunk of stream) received.push(chunk as Buffer);
      },
      'OCI_DIGEST_MISMATCH',
      blob.descriptor.digest,
    );
    expect(Buffer.concat(received).length).toBeLessThan(blob.bytes.length);
  });

  it('detects a truncated blob file on fetch', async () => {
    const blob = blobFixture(seededBytes(3, 100_000));
    await store.pushBlob(blob.descriptor, streamOf(blob.bytes));
    await truncate(fileOf(blob.descriptor), 50_000);
    await expectAppError(
      async () => readAll(await store.fetchBlob(blob.descriptor)),
      'OCI_CONTENT_TRUNCATED',
    );
  });

  it('detects a corrupt manifest file on fetch', async () => {
    const image = imageFixture({ seed: 4 });
    await pushFixture(store, image, { tag: 'v1' });
    const corrupt = Buffer.from(image.manifest.bytes);
    corrupt[corrupt.indexOf('"size":') + 7] = '9'.charCodeAt(0);
    await writeFile(fileOf(image.manifest.descriptor), corrupt);
    await expectAppError(store.fetchManifest('v1'), 'OCI_DIGEST_MISMATCH', image.manifest.descriptor.digest);
    await expectAppError(store.fetchManifest(image.manifest.descriptor), 'OCI_DIGEST_MISMATCH');
  });

  it('leaves no temporary file behind when a push fails or is cancelled', async () => {
    const blob = blobFixture(seededBytes(5, 500_000));
    await expectAppError(
      store.pushBlob(blob.descriptor, streamOf(seededBytes(6, 500_000))),
      'OCI_DIGEST_MISMATCH',
    );
    const controller = new AbortController();
    let reads = 0;
    const source = new Readable({
      read() {
        if (++reads === 1) this.push(blob.bytes.subarray(0, 100_000));
        else controller.abort();
      },
    });
    await expect(
      store.pushBlob(blob.descriptor, source, { signal: controller.signal }),
    ).rejects.toMatchObject({ code: 'ABORTED' });
    expect(await temporaryFiles()).toEqual([]);
    await expect(stat(fileOf(blob.descriptor))).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('writes a large blob to disk as it arrives instead of holding it in memory', async () => {
    const total = 50 * MiB;
    const chunkSize = 64 * 1024;
    const block = seededBytes(7, chunkSize);
    const hash = createHash('sha256');
    for (let n = 0; n < total / chunkSize; n++) hash.update(stamp(block, n));
    const descriptor: Descriptor = {
      mediaType: 'application/octet-stream',
      digest: `sha256:${hash.digest('hex')}`,
      size: total,
    };

    let onDiskAtHalf = -1;
    const temporaryFilesFound: string[] = [];
    async function* chunks(): AsyncGenerator<Buffer> {
      for (let n = 0; n < total / chunkSize; n++) {
        if (n === total / chunkSize / 2) {
          temporaryFilesFound.push(...(await temporaryFiles()));
          onDiskAtHalf = (await stat(join(root, 'blobs', temporaryFilesFound[0]!))).size;
        }
        yield stamp(block, n);
      }
    }
    await store.pushBlob(descriptor, Readable.from(chunks(), { objectMode: false }));
    expect(temporaryFilesFound).toHaveLength(1);
    // Half has been produced; all but a few in-flight chunks must already be in the file.
    expect(onDiskAtHalf).toBeGreaterThan(total / 2 - 2 * MiB);
    expect(await temporaryFiles()).toEqual([]);
    expect((await stat(fileOf(descriptor))).size).toBe(total);
  });
});

function stamp(block: Buffer, n: number): Buffer {
  const chunk = Buffer.from(block);
  chunk.writeUInt32BE(n, 0);
  return chunk;
}
