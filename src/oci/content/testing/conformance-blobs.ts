import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { digestOf } from '../../../kernel/index.js';
import { describeBytes, type Descriptor } from '../../manifest/index.js';
import { expectAppError } from './assertions.js';
import type { ConformanceContext } from './conformance.js';
import { blobFixture, readAll, seededBytes, streamOf } from './fixtures.js';

const LARGE_CHUNK_BYTES = 64 * 1024;

export function describeBlobConformance(context: ConformanceContext): void {
  describe('blobs', () => {
    it('stores a pushed blob and streams back the same bytes', async () => {
      const blob = blobFixture(seededBytes(11, 300_000));
      await context.store.pushBlob(blob.descriptor, streamOf(blob.bytes));
      expect(await context.store.blobExists(blob.descriptor)).toBe(true);
      expect((await readAll(await context.store.fetchBlob(blob.descriptor))).equals(blob.bytes)).toBe(true);
    });

    it('stores an empty blob', async () => {
      const blob = blobFixture(Buffer.alloc(0));
      await context.store.pushBlob(blob.descriptor, streamOf(blob.bytes));
      expect((await readAll(await context.store.fetchBlob(blob.descriptor))).length).toBe(0);
    });

    it('reports an unknown blob as absent, and fetching it as OCI_BLOB_UNKNOWN naming the digest', async () => {
      const blob = blobFixture(seededBytes(12, 100));
      expect(await context.store.blobExists(blob.descriptor)).toBe(false);
      await expectAppError(
        context.store.fetchBlob(blob.descriptor),
        'OCI_BLOB_UNKNOWN',
        blob.descriptor.digest,
      );
    });

    it('stores sha512-addressed content', async () => {
      const bytes = seededBytes(13, 5000);
      const descriptor = {
        ...describeBytes(bytes, 'application/octet-stream'),
        digest: digestOf(bytes, 'sha512'),
      };
      await context.store.pushBlob(descriptor, streamOf(bytes));
      expect((await readAll(await context.store.fetchBlob(descriptor))).equals(bytes)).toBe(true);
    });

    describe('never commits content that does not match its descriptor', () => {
      const bytes = seededBytes(14, 200_000);
      const good = blobFixture(bytes);
      const cases: [
        string,
        Descriptor,
        Buffer,
        'OCI_DIGEST_MISMATCH' | 'OCI_SIZE_INVALID' | 'OCI_CONTENT_TRUNCATED',
      ][] = [
        ['other content of the same size', good.descriptor, seededBytes(15, 200_000), 'OCI_DIGEST_MISMATCH'],
        [
          'content longer than the size',
          good.descriptor,
          Buffer.concat([bytes, Buffer.from('x')]),
          'OCI_SIZE_INVALID',
        ],
        [
          'content shorter than the size',
          good.descriptor,
          bytes.subarray(0, 150_000),
          'OCI_CONTENT_TRUNCATED',
        ],
      ];
      for (const [title, descriptor, content, code] of cases) {
        it(`rejects ${title} with ${code}`, async () => {
          await expectAppError(context.store.pushBlob(descriptor, streamOf(content)), code);
          expect(await context.store.blobExists(descriptor)).toBe(false);
          await expectAppError(context.store.fetchBlob(descriptor), 'OCI_BLOB_UNKNOWN');
        });
      }
    });

    it('drains the stream and succeeds when the blob is already stored', async () => {
      const blob = blobFixture(seededBytes(16, 100_000));
      await context.store.pushBlob(blob.descriptor, streamOf(blob.bytes));
      const again = streamOf(blob.bytes);
      await context.store.pushBlob(blob.descriptor, again);
      expect(again.readableEnded).toBe(true);
      expect((await readAll(await context.store.fetchBlob(blob.descriptor))).equals(blob.bytes)).toBe(true);
    });

    it('accepts concurrent pushes of the same blob', async () => {
      const blob = blobFixture(seededBytes(17, 1_000_000));
      const pushes = Array.from({ length: 6 }, () =>
        context.store.pushBlob(blob.descriptor, streamOf(blob.bytes, 8192)),
      );
      await Promise.all(pushes);
      expect((await readAll(await context.store.fetchBlob(blob.descriptor))).equals(blob.bytes)).toBe(true);
    });

    it('keeps the verified content when a corrupt push of the same digest races a good one', async () => {
      const blob = blobFixture(seededBytes(18, 1_000_000));
      const corrupt = Buffer.from(blob.bytes);
      corrupt[corrupt.length - 1]! ^= 0xff;
      const results = await Promise.allSettled([
        context.store.pushBlob(blob.descriptor, streamOf(corrupt, 8192)),
        context.store.pushBlob(blob.descriptor, streamOf(blob.bytes, 8192)),
      ]);
      // The corrupt push may only succeed by finding the good content already stored.
      if (results[0]!.status === 'rejected')
        expect(results[0]!.reason).toMatchObject({ code: 'OCI_DIGEST_MISMATCH' });
      expect(results[1]!.status).toBe('fulfilled');
      expect((await readAll(await context.store.fetchBlob(blob.descriptor))).equals(blob.bytes)).toBe(true);
    });

    it('streams a large blob through push and fetch in chunks', async () => {
      const total = context.options.largeBlobBytes;
      const descriptor: Descriptor = {
        mediaType: 'application/octet-stream',
        digest: digestOfGenerated(total),
        size: total,
      };
      let produced = 0;
      const source = Readable.from(
        countingChunks(total, (n) => (produced += n)),
        { objectMode: false },
      );
      await context.store.pushBlob(descriptor, source);
      expect(produced).toBe(total);

      const hash = createHash('sha256');
      let received = 0;
      for await (const chunk of await context.store.fetchBlob(descriptor)) {
        hash.update(chunk as Buffer);
        received += (chunk as Buffer).length;
      }
      expect(received).toBe(total);
      expect(`sha256:${hash.digest('hex')}`).toBe(descriptor.digest);
    });
  });
}

/**
 * Content made on the fly, one fresh chunk at a time, so the test never holds the blob:
 * a seeded block with the chunk number stamped into it (no two chunks alike).
 */
function* generatedChunks(total: number): Generator<Buffer> {
  const block = seededBytes(19, LARGE_CHUNK_BYTES);
  for (let offset = 0, n = 0; offset < total; offset += LARGE_CHUNK_BYTES, n++) {
    const chunk = Buffer.from(block.subarray(0, Math.min(LARGE_CHUNK_BYTES, total - offset)));
    if (chunk.length >= 4) chunk.writeUInt32BE(n, 0);
    yield chunk;
  }
}

function* countingChunks(total: number, onChunk: (bytes: number) => void): Generator<Buffer> {
  for (const chunk of generatedChunks(total)) {
    onChunk(chunk.length);
    yield chunk;
  }
}

function digestOfGenerated(total: number): string {
  const hash = createHash('sha256');
  for (const chunk of generatedChunks(total)) hash.update(chunk);
  return `sha256:${hash.digest('hex')}`;
}
