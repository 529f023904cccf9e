import { describe, expect, it } from 'vitest';
import { CopyError } from '../../kernel/index.js';
import { FakeClock } from '../../kernel/testing/fake-clock.js';
import { MemoryStore } from '../content/index.js';
import { MediaType } from '../mediatype/index.js';
import { type Manifest, describeBytes, encodeManifest, parsePlatform } from '../manifest/index.js';
import { cosignTags } from '../ref/index.js';
import {
  makeImage,
  makeImageSet,
  makeIndex,
  makeLayer,
  makeSbomArtifact,
  makeSignatureArtifact,
  mergeFixtures,
  storeFixture,
} from '../../../test/fixtures/index.js';
import { Copier, type CopierOptions } from './copier.js';
import { InstrumentedTarget } from './testing/instrumented-target.js';
import type { CopyEvent } from './types.js';

async function multiArch(seed = 1) {
  const base = await makeLayer({ seed: [seed, 'base'], size: 4096 });
  const images = await Promise.all(
    ['linux/amd64', 'linux/arm64', 'linux/arm/v7'].map(async (platform, i) =>
      makeImage({ layers: [base, await makeLayer({ seed: [seed, i], size: 8192 })], platform }),
    ),
  );
  return makeIndex({ manifests: images });
}

/** A copier whose retries do not wait: its clock advances as soon as someone sleeps. */
function copier(options: CopierOptions = {}): Copier {
  const clock = new FakeClock();
  clock.sleep = async () => {};
  return new Copier({ clock, ...options });
}

describe('Copier', () => {
  it('copies a multi-arch index with every platform and the same digests', async () => {
    const fixture = await multiArch();
    const source = new MemoryStore({ name: 'source' });
    await storeFixture(source, fixture, { tag: 'v1' });
    const destination = new MemoryStore({ name: 'destination' });

    const result = await copier().copy(source, 'v1', destination, 'v1');

    expect(result.status).toBe('copied');
    expect(result.digest).toBe(fixture.root.descriptor.digest);
    expect((await destination.resolve('v1')).digest).toBe(fixture.root.descriptor.digest);
    for (const manifest of fixture.manifests)
      expect(await destination.manifestExists(manifest.descriptor)).toBe(true);
    for (const [digest, bytes] of fixture.blobs) {
      expect(
        await destination.blobExists({ mediaType: 'application/octet-stream', digest, size: bytes.length }),
      ).toBe(true);
    }
    expect(result.stats.manifestsCopied).toBe(4);
    // 1 shared base layer + 3 own layers + 3 configs, each transferred once
    expect(result.stats.blobsCopied).toBe(7);
    expect(result.stats.bytesCopied).toBe([...fixture.blobs.values()].reduce((sum, b) => sum + b.length, 0));
  });

  it('transfers nothing when the destination tag already has the digest', async () => {
    const fixture = await multiArch();
    const source = new InstrumentedTarget(new MemoryStore());
    await storeFixture(source.inner, fixture, { tag: 'v1' });
    const destination = new InstrumentedTarget(new MemoryStore());
    await copier().copy(source, 'v1', destination, 'v1');
    const fetchedBefore = source.count('fetchBlob');

    const again = await copier().copy(source, 'v1', destination, 'v1');

    expect(again.status).toBe('skipped');
    expect(source.count('fetchBlob')).toBe(fetchedBefore);
    expect(again.stats.bytesCopied).toBe(0);
  });

  it('transfers blobs shared by many images once per run', async () => {
    const set = await makeImageSet({
      images: 6,
      layersPerImage: 3,
      layerSize: 2048,
      sharedBaseLayers: 2,
      seed: 7,
    });
    const source = new InstrumentedTarget(new MemoryStore());
    for (const { tag, fixture } of set.images) await storeFixture(source.inner, fixture, { tag });
    const destination = new MemoryStore();
    const run = copier();

    const outcomes = await run.copyMany(
      set.images.map(({ tag }) => ({ source, reference: tag, destination, tag })),
    );

    expect(outcomes.every((o) => 'result' in o)).toBe(true);
    expect(source.fetchedBlobs.length).toBe(new Set(source.fetchedBlobs).size);
    expect(source.fetchedBlobs.length).toBe(set.all.blobs.size);
  });

  it('narrows an index to the wanted platforms, writing a new index, and is idempotent', async () => {
    const fixture = await multiArch();
    const source = new MemoryStore();
    await storeFixture(source, fixture, { tag: 'v1' });
    const destination = new MemoryStore();
    const platforms = [parsePlatform('linux/arm64')];

    const result = await copier().copy(source, 'v1', destination, 'v1', { platforms });

    expect(result.filtered).toEqual({
      sourceDigest: fixture.root.descriptor.digest,
      platforms: ['linux/arm64'],
    });
    expect(result.digest).not.toBe(fixture.root.descriptor.digest);
    const written = await destination.fetchManifest('v1');
    expect(written.kind === 'index' && written.index.manifests.map((m) => m.platform?.architecture)).toEqual([
      'arm64',
    ]);
    expect(written.descriptor.mediaType).toBe(fixture.root.descriptor.mediaType);
    const again = await copier().copy(source, 'v1', destination, 'v1', { platforms });
    expect(again.status).toBe('skipped');
  });

  it('keeps the digest when the platform filter selects every platform', async () => {
    const fixture = await multiArch();
    const source = new MemoryStore();
    await storeFixture(source, fixture, { tag: 'v1' });
    const platforms = ['linux/amd64', 'linux/arm64', 'linux/arm/v7'].map(parsePlatform);
    const result = await copier().copy(source, 'v1', new MemoryStore(), 'v1', { platforms });
    expect(result.digest).toBe(fixture.root.descriptor.digest);
    expect(result.filtered).toBeUndefined();
  });

  it('names the platforms on offer when the wanted one is missing', async () => {
    const fixture = await multiArch();
    const source = new MemoryStore();
    await storeFixture(source, fixture, { tag: 'v1' });
    await expect(
      copier().copy(source, 'v1', new MemoryStore(), 'v1', { platforms: [parsePlatform('windows/amd64')] }),
    ).rejects.toThrow(
      /no manifest for windows\/amd64; it offers: linux\/amd64, linux\/arm64, linux\/arm\/v7/,
    );
  });

  it('copies referrers recursively and cosign tag attachments', async () => {
    const image = makeImage({ layers: [await makeLayer({ seed: 3, size: 1024 })] });
    const signature = makeSignatureArtifact(image);
    const sbom = makeSbomArtifact(image);
    const sbomSignature = makeSignatureArtifact(sbom.root.descriptor, { seed: 9 });
    const source = new MemoryStore();
    await storeFixture(source, mergeFixtures(image, signature, sbom, sbomSignature), { tag: 'v1' });
    const cosign = makeSignatureArtifact(image, { seed: 5 });
    const cosignManifest = cosign.manifests.at(-1)!;
    const withoutSubject = encodeManifest({
      ...(cosignManifest as Extract<Manifest, { kind: 'image' }>).image,
      subject: undefined,
    });
    const cosignTag = cosignTags(image.root.descriptor.digest)[0]!.tag;
    await storeFixture(
      source,
      { root: withoutSubject, manifests: [withoutSubject], blobs: cosign.blobs },
      { tag: cosignTag },
    );
    const destination = new MemoryStore();

    const result = await copier().copy(source, 'v1', destination, 'v1', { referrers: true });

    expect(result.stats.referrersCopied).toBe(4);
    const referrers = await destination.listReferrers(image.root.descriptor);
    expect(referrers.map((r) => r.digest).sort()).toEqual(
      [signature.root.descriptor.digest, sbom.root.descriptor.digest].sort(),
    );
    expect((await destination.listReferrers(sbom.root.descriptor)).map((r) => r.digest)).toEqual([
      sbomSignature.root.descriptor.digest,
    ]);
    expect((await destination.resolve(cosignTag)).digest).toBe(withoutSubject.descriptor.digest);
    const warm = await copier().copy(source, 'v1', destination, 'v1', { referrers: true });
    expect(warm.status).toBe('skipped');
    expect(warm.stats.referrersCopied).toBe(0);
    expect(warm.referrers).toHaveLength(4);
  });

  it('plans without writing in a dry run', async () => {
    const fixture = await multiArch();
    const source = new MemoryStore();
    await storeFixture(source, fixture, { tag: 'v1' });
    const destination = new InstrumentedTarget(new MemoryStore());

    const result = await copier().copy(source, 'v1', destination, 'v1', { dryRun: true });

    expect(result.status).toBe('planned');
    expect(destination.count('pushBlob') + destination.count('pushManifest')).toBe(0);
    expect(result.plan?.filter((p) => p.kind === 'blob' && p.action === 'copy')).toHaveLength(
      fixture.blobs.size,
    );
    expect(result.plan?.filter((p) => p.kind === 'manifest')).toHaveLength(4);
  });

  it('retries a blob transfer that broke mid-stream and reports the retry', async () => {
    const fixture = makeImage({ layers: [await makeLayer({ seed: 11, size: 256 * 1024 })] });
    const source = new InstrumentedTarget(new MemoryStore());
    await storeFixture(source.inner, fixture, { tag: 'v1' });
    source.inject({ operation: 'fetchBlob', times: 2, kind: 'reset' });
    const events: CopyEvent[] = [];
    const destination = new MemoryStore();

    const result = await copier({ onEvent: (e) => events.push(e) }).copy(source, 'v1', destination, 'v1');

    expect(result.status).toBe('copied');
    expect(events.filter((e) => e.type === 'blob-retry')).toHaveLength(2);
    expect((await destination.fetchManifest('v1')).descriptor.digest).toBe(fixture.root.descriptor.digest);
  });

  it('fails cleanly on a non-retryable source error, saying which side failed', async () => {
    const fixture = makeImage({ layers: [await makeLayer({ seed: 12, size: 1024 })] });
    const source = new InstrumentedTarget(new MemoryStore());
    await storeFixture(source.inner, fixture, { tag: 'v1' });
    source.inject({ operation: 'fetchBlob', times: 10, kind: 'deny' });
    const destination = new MemoryStore();

    const failure = await copier()
      .copy(source, 'v1', destination, 'v1')
      .catch((e: unknown) => e);

    expect(failure).toBeInstanceOf(CopyError);
    expect((failure as CopyError).side).toBe('source');
    expect((failure as CopyError).code).toBe('OCI_DENIED');
    await expect(destination.resolve('v1')).rejects.toThrow(/v1/);
  });

  it('never stores a corrupted blob under its digest', async () => {
    const fixture = makeImage({ layers: [await makeLayer({ seed: 13, size: 64 * 1024 })] });
    const source = new InstrumentedTarget(new MemoryStore());
    await storeFixture(source.inner, fixture, { tag: 'v1' });
    source.inject({ operation: 'fetchBlob', times: 100, kind: 'corrupt' });
    const destination = new MemoryStore();

    await expect(copier({ retry: { attempts: 2 } }).copy(source, 'v1', destination, 'v1')).rejects.toThrow(
      /digest/,
    );

    for (const layer of fixture.root.image.layers) expect(await destination.blobExists(layer)).toBe(false);
    await expect(destination.resolve('v1')).rejects.toThrow();
  });

  it('re-transfers everything with force', async () => {
    const fixture = makeImage({ layers: [await makeLayer({ seed: 14, size: 1024 })] });
    const source = new InstrumentedTarget(new MemoryStore());
    await storeFixture(source.inner, fixture, { tag: 'v1' });
    const destination = new MemoryStore();
    await copier().copy(source, 'v1', destination, 'v1');
    const before = source.count('fetchBlob');
    const result = await copier().copy(source, 'v1', destination, 'v1', { force: true });
    expect(result.status).toBe('copied');
    expect(source.count('fetchBlob') - before).toBe(2);
  });

  it('leaves foreign layers out, as Docker and skopeo do', async () => {
    const local = await makeLayer({ seed: 15, size: 1024 });
    const image = makeImage({ layers: [local] });
    const foreign = {
      ...describeBytes(Buffer.from('windows base layer'), MediaType.DockerLayerForeignGzip),
      urls: ['https://example.com/layer'],
    };
    const manifest = encodeManifest({ ...image.root.image, layers: [foreign, ...image.root.image.layers] });
    const source = new MemoryStore();
    await storeFixture(source, { root: manifest, manifests: [manifest], blobs: image.blobs }, { tag: 'v1' });
    const result = await copier().copy(source, 'v1', new MemoryStore(), 'v1');
    expect(result.stats.foreignLayersSkipped).toBe(1);
  });

  it('stops when cancelled', async () => {
    const fixture = await multiArch();
    const source = new MemoryStore();
    await storeFixture(source, fixture, { tag: 'v1' });
    const controller = new AbortController();
    controller.abort();
    await expect(
      copier().copy(source, 'v1', new MemoryStore(), 'v1', { signal: controller.signal }),
    ).rejects.toThrow(/cancel|abort/i);
  });
});
