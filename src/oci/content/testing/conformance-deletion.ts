import { describe, expect, it } from 'vitest';
import { digestOf } from '../../../kernel/index.js';
import { MediaType } from '../../mediatype/index.js';
import { expectAppError } from './assertions.js';
import type { ConformanceContext } from './conformance.js';
import {
  blobFixture,
  collect,
  imageFixture,
  pushFixture,
  referrerFixture,
  seededBytes,
  streamOf,
} from './fixtures.js';

export function describeDeletionConformance(context: ConformanceContext): void {
  describe('deletion', () => {
    it('deletes a manifest together with the tags pointing at it', async () => {
      const image = imageFixture({ seed: 61 });
      const kept = imageFixture({ seed: 62 });
      await pushFixture(context.store, image, { tag: 'one' });
      await context.store.tag(image.manifest.descriptor, 'two');
      await pushFixture(context.store, kept, { tag: 'kept' });

      await context.store.deleteManifest(image.manifest.descriptor);
      expect(await context.store.manifestExists(image.manifest.descriptor)).toBe(false);
      await expectAppError(context.store.resolve('one'), 'OCI_MANIFEST_UNKNOWN', 'one');
      await expectAppError(context.store.resolve('two'), 'OCI_MANIFEST_UNKNOWN', 'two');
      await expectAppError(context.store.resolve(image.manifest.descriptor.digest), 'OCI_MANIFEST_UNKNOWN');
      expect(await collect(context.store.listTags())).toEqual(['kept']);
      expect((await context.store.resolve('kept')).digest).toBe(kept.manifest.descriptor.digest);
    });

    it('removes a deleted referrer from its subject’s referrers', async () => {
      const subject = imageFixture({ seed: 63 });
      await pushFixture(context.store, subject);
      const gone = referrerFixture(subject.manifest.descriptor, {
        seed: 64,
        artifactType: 'application/vnd.example.a',
      });
      const stays = referrerFixture(subject.manifest.descriptor, {
        seed: 65,
        artifactType: 'application/vnd.example.b',
      });
      await pushFixture(context.store, gone);
      await pushFixture(context.store, stays);
      expect(await context.store.listReferrers(subject.manifest.descriptor)).toHaveLength(2);

      await context.store.deleteManifest(gone.manifest.descriptor);
      const listed = await context.store.listReferrers(subject.manifest.descriptor);
      expect(listed.map((d) => d.digest)).toEqual([stays.manifest.descriptor.digest]);
    });

    it('deletes a blob', async () => {
      const blob = blobFixture(seededBytes(66, 4096));
      await context.store.pushBlob(blob.descriptor, streamOf(blob.bytes));
      await context.store.deleteBlob(blob.descriptor);
      expect(await context.store.blobExists(blob.descriptor)).toBe(false);
      await expectAppError(context.store.fetchBlob(blob.descriptor), 'OCI_BLOB_UNKNOWN');
    });

    it('answers deletes of unknown content with the matching *_UNKNOWN error', async () => {
      const descriptor = { mediaType: MediaType.OciManifest, digest: digestOf('never pushed'), size: 12 };
      await expectAppError(
        context.store.deleteManifest(descriptor),
        'OCI_MANIFEST_UNKNOWN',
        descriptor.digest,
      );
      await expectAppError(context.store.deleteBlob(descriptor), 'OCI_BLOB_UNKNOWN', descriptor.digest);
    });
  });
}
