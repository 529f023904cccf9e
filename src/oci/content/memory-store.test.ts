import { describe, expect, it } from 'vitest';
import { MediaType } from '../mediatype/index.js';
import { encodeManifest } from '../manifest/index.js';
import { MemoryStore } from './memory-store.js';
import { expectAppError } from './testing/assertions.js';
import { describeContentStoreConformance } from './testing/conformance.js';
import {
  blobFixture,
  imageFixture,
  indexFixture,
  pushFixture,
  readAll,
  referrerFixture,
  seededBytes,
  streamOf,
} from './testing/fixtures.js';

describeContentStoreConformance('MemoryStore', async () => ({
  store: new MemoryStore(),
  cleanup: async () => {},
}));

describe('MemoryStore', () => {
  it('names itself in its location', () => {
    expect(new MemoryStore({ name: 'fixture' }).location).toEqual({
      kind: 'memory',
      registry: 'fixture',
      repository: '',
    });
    expect(new MemoryStore().location.registry).toBe('memory');
  });

  it('refuses a manifest whose config or layers were not pushed, as registries do', async () => {
    const store = new MemoryStore();
    const image = imageFixture({ seed: 1 });
    await store.pushBlob(image.blobs[0]!.descriptor, streamOf(image.blobs[0]!.bytes));
    const error = await expectAppError(
      store.pushManifest(image.manifest),
      'OCI_MANIFEST_BLOB_UNKNOWN',
      'layers[0]',
    );
    expect(error.details.digest).toBe(image.blobs[1]!.descriptor.digest);
    expect(await store.manifestExists(image.manifest.descriptor)).toBe(false);
  });

  it('refuses an index whose child manifests were not pushed', async () => {
    const store = new MemoryStore();
    const child = imageFixture({ seed: 2 });
    const index = indexFixture([child]);
    await expectAppError(
      store.pushManifest(index.manifest),
      'OCI_MANIFEST_BLOB_UNKNOWN',
      child.manifest.descriptor.digest,
    );
  });

  it('accepts non-distributable layers that are only referenced by URL', async () => {
    const store = new MemoryStore();
    const config = blobFixture(Buffer.from('{"os":"windows","architecture":"amd64"}'), MediaType.OciConfig);
    const foreign = {
      ...blobFixture(seededBytes(3, 64), MediaType.DockerLayerForeignGzip).descriptor,
      urls: ['https://example.com/layer'],
    };
    await store.pushBlob(config.descriptor, streamOf(config.bytes));
    const manifest = encodeManifest({
      schemaVersion: 2,
      mediaType: MediaType.OciManifest,
      config: config.descriptor,
      layers: [foreign],
    });
    await store.pushManifest(manifest, { tag: 'windows' });
    expect((await store.resolve('windows')).digest).toBe(manifest.descriptor.digest);
  });

  it('refuses invalid tags with OCI_TAG_INVALID', async () => {
    const store = new MemoryStore();
    const image = imageFixture({ seed: 4 });
    await pushFixture(store, image);
    for (const tag of ['-leading-dash', '.hidden', 'has space', 'a'.repeat(129), '']) {
      await expectAppError(store.tag(image.manifest.descriptor, tag), 'OCI_TAG_INVALID');
      await expectAppError(store.pushManifest(image.manifest, { tag }), 'OCI_TAG_INVALID');
    }
    await store.tag(image.manifest.descriptor, `_${'a'.repeat(127)}`);
  });

  it('refuses malformed digests as references', async () => {
    const store = new MemoryStore();
    await expectAppError(store.resolve('sha256:abc'), 'OCI_DIGEST_INVALID');
    await expectAppError(store.resolve('md5:0123456789abcdef0123456789abcdef'), 'OCI_DIGEST_INVALID');
  });

  it('enforces its manifest size limit on push and fetch', async () => {
    const store = new MemoryStore({ maxManifestBytes: 600 });
    const small = imageFixture({ seed: 5, layers: 1 });
    const large = imageFixture({ seed: 6, layers: 4 });
    expect(small.manifest.bytes.length).toBeLessThanOrEqual(600);
    expect(large.manifest.bytes.length).toBeGreaterThan(600);
    await pushFixture(store, small, { tag: 'small' });
    await expectAppError(
      pushFixture(store, large, { tag: 'large' }),
      'OCI_MANIFEST_TOO_LARGE',
      large.manifest.descriptor.digest,
    );
    await expectAppError(
      store.fetchManifest({ ...small.manifest.descriptor, size: 601 }),
      'OCI_MANIFEST_TOO_LARGE',
    );
  });

  it('hands out copies, so callers cannot change what it stores', async () => {
    const store = new MemoryStore();
    const image = imageFixture({ seed: 7 });
    const subject = imageFixture({ seed: 8 });
    await pushFixture(store, image, { tag: 't' });
    await pushFixture(
      store,
      referrerFixture(subject.manifest.descriptor, {
        artifactType: 'application/x',
        annotations: { a: '1' },
      }),
    );
    const fetched = await store.fetchManifest('t');
    fetched.bytes.fill(0);
    (await store.resolve('t')).size = 1;
    (await store.listReferrers(subject.manifest.descriptor))[0]!.annotations!.a = 'changed';
    const again = await store.fetchManifest('t');
    expect(Buffer.from(again.bytes).equals(Buffer.from(image.manifest.bytes))).toBe(true);
    expect((await store.resolve('t')).size).toBe(image.manifest.descriptor.size);
    expect((await store.listReferrers(subject.manifest.descriptor))[0]!.annotations).toEqual({ a: '1' });
  });

  it('detects a descriptor whose size does not match the stored blob when fetching', async () => {
    const store = new MemoryStore();
    const blob = blobFixture(seededBytes(9, 1000));
    await store.pushBlob(blob.descriptor, streamOf(blob.bytes));
    await expectAppError(
      readAll(await store.fetchBlob({ ...blob.descriptor, size: 999 })),
      'OCI_SIZE_INVALID',
    );
  });
});
