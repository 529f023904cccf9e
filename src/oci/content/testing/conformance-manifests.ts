import { describe, expect, it } from 'vitest';
import { digestOf } from '../../../kernel/index.js';
import { MediaType } from '../../mediatype/index.js';
import { describeBytes, type Descriptor } from '../../manifest/index.js';
import { expectAppError } from './assertions.js';
import type { ConformanceContext } from './conformance.js';
import { collect, imageFixture, indexFixture, pushFixture } from './fixtures.js';

export function describeManifestConformance(context: ConformanceContext): void {
  describe('manifests', () => {
    it('resolves a pushed manifest by tag and by digest, and returns its exact bytes', async () => {
      const image = imageFixture({ seed: 21 });
      const { descriptor, bytes } = image.manifest;
      await pushFixture(context.store, image, { tag: 'v1' });

      for (const reference of ['v1', descriptor.digest]) {
        const resolved = await context.store.resolve(reference);
        expect(resolved).toMatchObject({
          mediaType: descriptor.mediaType,
          digest: descriptor.digest,
          size: descriptor.size,
        });
        const fetched = await context.store.fetchManifest(reference);
        expect(fetched.kind).toBe('image');
        expect(Buffer.from(fetched.bytes).equals(Buffer.from(bytes))).toBe(true);
        expect(fetched.descriptor.digest).toBe(descriptor.digest);
      }
      const byDescriptor = await context.store.fetchManifest(descriptor);
      expect(Buffer.from(byDescriptor.bytes).equals(Buffer.from(bytes))).toBe(true);
      expect(await context.store.manifestExists(descriptor)).toBe(true);
    });

    it('keeps the media type of a Docker v2 schema 2 manifest', async () => {
      const image = imageFixture({ seed: 22, docker: true });
      await pushFixture(context.store, image, { tag: 'docker' });
      expect((await context.store.resolve('docker')).mediaType).toBe(MediaType.DockerManifest);
      const fetched = await context.store.fetchManifest('docker');
      expect(fetched.descriptor.mediaType).toBe(MediaType.DockerManifest);
      expect(Buffer.from(fetched.bytes).equals(Buffer.from(image.manifest.bytes))).toBe(true);
    });

    it('stores an index and its child manifests, each resolvable by digest', async () => {
      const children = [
        imageFixture({ seed: 23 }),
        imageFixture({ seed: 24, platform: { os: 'linux', architecture: 'arm64' } }),
      ];
      const index = indexFixture(children);
      await pushFixture(context.store, index, { tag: 'multi' });

      const fetched = await context.store.fetchManifest('multi');
      expect(fetched.kind).toBe('index');
      expect(fetched.descriptor.mediaType).toBe(MediaType.OciIndex);
      expect(Buffer.from(fetched.bytes).equals(Buffer.from(index.manifest.bytes))).toBe(true);
      for (const child of children) {
        expect((await context.store.resolve(child.manifest.descriptor.digest)).digest).toBe(
          child.manifest.descriptor.digest,
        );
        const bytes = (await context.store.fetchManifest(child.manifest.descriptor)).bytes;
        expect(Buffer.from(bytes).equals(Buffer.from(child.manifest.bytes))).toBe(true);
      }
    });

    it('stores a manifest pushed without a tag, by digest only', async () => {
      const image = imageFixture({ seed: 25 });
      await pushFixture(context.store, image);
      expect((await context.store.resolve(image.manifest.descriptor.digest)).digest).toBe(
        image.manifest.descriptor.digest,
      );
      expect(await collect(context.store.listTags())).toEqual([]);
    });

    it('accepts the same manifest pushed twice', async () => {
      const image = imageFixture({ seed: 26 });
      await pushFixture(context.store, image, { tag: 'again' });
      await context.store.pushManifest(image.manifest, { tag: 'again' });
      expect((await context.store.resolve('again')).digest).toBe(image.manifest.descriptor.digest);
    });

    it('answers unknown tags and digests with OCI_MANIFEST_UNKNOWN naming the reference', async () => {
      const missing = digestOf('not stored');
      await expectAppError(context.store.resolve('nope'), 'OCI_MANIFEST_UNKNOWN', 'nope');
      await expectAppError(context.store.resolve(missing), 'OCI_MANIFEST_UNKNOWN', missing);
      await expectAppError(context.store.fetchManifest('nope'), 'OCI_MANIFEST_UNKNOWN', 'nope');
      const descriptor: Descriptor = { mediaType: MediaType.OciManifest, digest: missing, size: 10 };
      await expectAppError(context.store.fetchManifest(descriptor), 'OCI_MANIFEST_UNKNOWN', missing);
      expect(await context.store.manifestExists(descriptor)).toBe(false);
    });

    it('refuses manifest bytes that do not match the descriptor, storing nothing', async () => {
      const image = imageFixture({ seed: 27 });
      const other = imageFixture({ seed: 28 });
      await pushFixture(context.store, other);
      const forged = Buffer.from(image.manifest.bytes);
      forged[forged.indexOf('"schemaVersion":2') + 16] = '3'.charCodeAt(0);
      await expectAppError(
        context.store.pushManifest(
          { descriptor: image.manifest.descriptor, bytes: forged },
          { tag: 'forged' },
        ),
        'OCI_DIGEST_MISMATCH',
      );
      expect(await context.store.manifestExists(image.manifest.descriptor)).toBe(false);
      await expectAppError(context.store.resolve('forged'), 'OCI_MANIFEST_UNKNOWN');
    });

    it('refuses bytes that are not a manifest', async () => {
      const bytes = Buffer.from(
        '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json"}',
      );
      const descriptor = describeBytes(bytes, MediaType.OciManifest);
      await expectAppError(
        context.store.pushManifest({ descriptor, bytes }, { tag: 'broken' }),
        'OCI_MANIFEST_INVALID',
      );
      await expectAppError(context.store.resolve('broken'), 'OCI_MANIFEST_UNKNOWN');
    });

    it('refuses to fetch a manifest larger than the size limit', async () => {
      const limit = context.options.maxManifestBytes;
      const descriptor: Descriptor = {
        mediaType: MediaType.OciManifest,
        digest: digestOf('large'),
        size: limit + 1,
      };
      await expectAppError(
        context.store.fetchManifest(descriptor),
        'OCI_MANIFEST_TOO_LARGE',
        descriptor.digest,
      );
    });
  });
}
