import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { expectAborted, expectAppError } from './assertions.js';
import type { ConformanceContext } from './conformance.js';
import { blobFixture, imageFixture, pushFixture, seededBytes, streamOf } from './fixtures.js';

export function describeCancellationConformance(context: ConformanceContext): void {
  describe('cancellation', () => {
    it('refuses every operation when the signal has already aborted', async () => {
      const image = imageFixture({ seed: 71 });
      await pushFixture(context.store, image, { tag: 'here' });
      const blob = image.blobs[0]!;
      const fresh = blobFixture(seededBytes(72, 1024));
      const signal = AbortSignal.abort();
      const { store } = context;
      const descriptor = image.manifest.descriptor;
      const operations: [string, () => Promise<unknown>][] = [
        ['fetchBlob', () => store.fetchBlob(blob.descriptor, { signal })],
        ['blobExists', () => store.blobExists(blob.descriptor, { signal })],
        ['pushBlob', () => store.pushBlob(fresh.descriptor, streamOf(fresh.bytes), { signal })],
        ['resolve', () => store.resolve('here', { signal })],
        ['fetchManifest', () => store.fetchManifest(descriptor, { signal })],
        ['manifestExists', () => store.manifestExists(descriptor, { signal })],
        ['pushManifest', () => store.pushManifest(image.manifest, { tag: 'other', signal })],
        ['tag', () => store.tag(descriptor, 'other', { signal })],
        [
          'listTags',
          async () => {
            for await (const _tag of store.listTags({ signal })) void _tag;
          },
        ],
        ['listReferrers', () => store.listReferrers(descriptor, { signal })],
      ];
      if (context.options.supportsDelete) {
        operations.push(['deleteManifest', () => store.deleteManifest(descriptor, { signal })]);
        operations.push(['deleteBlob', () => store.deleteBlob(blob.descriptor, { signal })]);
      }
      for (const [, operation] of operations) await expectAborted(operation);
      expect(await store.blobExists(fresh.descriptor)).toBe(false);
      expect((await store.resolve('here')).digest).toBe(descriptor.digest);
      await expectAppError(store.resolve('other'), 'OCI_MANIFEST_UNKNOWN');
    });

    it('stops a blob push when the signal aborts mid-stream, committing nothing', async () => {
      const blob = blobFixture(seededBytes(73, 256 * 1024));
      const controller = new AbortController();
      let reads = 0;
      const source = new Readable({
        read() {
          reads++;
          if (reads === 1) this.push(blob.bytes.subarray(0, 64 * 1024));
          else controller.abort();
        },
      });
      await expectAborted(context.store.pushBlob(blob.descriptor, source, { signal: controller.signal }));
      expect(await context.store.blobExists(blob.descriptor)).toBe(false);
    });

    it('stops a blob fetch when the signal aborts mid-stream', async () => {
      const blob = blobFixture(seededBytes(74, 4 * 1024 * 1024));
      await context.store.pushBlob(blob.descriptor, streamOf(blob.bytes));
      const controller = new AbortController();
      const stream = await context.store.fetchBlob(blob.descriptor, { signal: controller.signal });
      await expectAborted(async () => {
        for await (const _chunk of stream) controller.abort();
      });
    });
  });
}
