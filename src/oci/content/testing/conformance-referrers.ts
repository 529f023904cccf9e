import { describe, expect, it } from 'vitest';
import { MediaType } from '../../mediatype/index.js';
import type { Descriptor } from '../../manifest/index.js';
import type { ConformanceContext } from './conformance.js';
import { imageFixture, indexFixture, pushFixture, referrerFixture } from './fixtures.js';

const SBOM = 'application/vnd.example.sbom.v1+json';
const SIGNATURE_CONFIG = 'application/vnd.example.signature.config.v1+json';
const BUNDLE = 'application/vnd.example.bundle.v1';

export function describeReferrerConformance(context: ConformanceContext): void {
  describe('referrers', () => {
    it('lists the manifests whose subject is the given one, with artifactType and annotations', async () => {
      const subject = imageFixture({ seed: 41 });
      await pushFixture(context.store, subject, { tag: 'app' });
      const target = subject.manifest.descriptor;
      const sbom = referrerFixture(target, {
        seed: 42,
        artifactType: SBOM,
        annotations: { 'org.example.kind': 'sbom' },
      });
      const signature = referrerFixture(target, { seed: 43, configMediaType: SIGNATURE_CONFIG });
      const bundle = indexFixture([], {
        subject: target,
        artifactType: BUNDLE,
        annotations: { 'org.example.kind': 'bundle' },
      });
      for (const referrer of [sbom, signature, bundle]) await pushFixture(context.store, referrer);

      const listed = byDigest(await context.store.listReferrers(target));
      expect(Object.keys(listed).sort()).toEqual(
        [sbom, signature, bundle].map((r) => r.manifest.descriptor.digest).sort(),
      );
      expect(listed[sbom.manifest.descriptor.digest]).toMatchObject({
        mediaType: MediaType.OciManifest,
        size: sbom.manifest.descriptor.size,
        artifactType: SBOM,
        annotations: { 'org.example.kind': 'sbom' },
      });
      expect(listed[signature.manifest.descriptor.digest]).toMatchObject({
        mediaType: MediaType.OciManifest,
        size: signature.manifest.descriptor.size,
        artifactType: SIGNATURE_CONFIG,
      });
      expect(listed[bundle.manifest.descriptor.digest]).toMatchObject({
        mediaType: MediaType.OciIndex,
        size: bundle.manifest.descriptor.size,
        artifactType: BUNDLE,
        annotations: { 'org.example.kind': 'bundle' },
      });
    });

    it('filters by artifactType', async () => {
      const subject = imageFixture({ seed: 44 });
      await pushFixture(context.store, subject);
      const target = subject.manifest.descriptor;
      const sbom = referrerFixture(target, { seed: 45, artifactType: SBOM });
      const signature = referrerFixture(target, { seed: 46, configMediaType: SIGNATURE_CONFIG });
      for (const referrer of [sbom, signature]) await pushFixture(context.store, referrer);

      const sboms = await context.store.listReferrers(target, { artifactType: SBOM });
      expect(sboms.map((d) => d.digest)).toEqual([sbom.manifest.descriptor.digest]);
      const signatures = await context.store.listReferrers(target, { artifactType: SIGNATURE_CONFIG });
      expect(signatures.map((d) => d.digest)).toEqual([signature.manifest.descriptor.digest]);
      expect(
        await context.store.listReferrers(target, { artifactType: 'application/vnd.example.none' }),
      ).toEqual([]);
    });

    it('lists a referrer pushed before its subject exists', async () => {
      const subject = imageFixture({ seed: 47 });
      const referrer = referrerFixture(subject.manifest.descriptor, { seed: 48, artifactType: SBOM });
      await pushFixture(context.store, referrer);
      expect((await context.store.listReferrers(subject.manifest.descriptor)).map((d) => d.digest)).toEqual([
        referrer.manifest.descriptor.digest,
      ]);
      await pushFixture(context.store, subject, { tag: 'late' });
      expect((await context.store.listReferrers(subject.manifest.descriptor)).map((d) => d.digest)).toEqual([
        referrer.manifest.descriptor.digest,
      ]);
    });

    it('keeps the referrers of different subjects apart, and lists none for a manifest without any', async () => {
      const one = imageFixture({ seed: 49 });
      const two = imageFixture({ seed: 50 });
      await pushFixture(context.store, one);
      await pushFixture(context.store, two);
      const referrer = referrerFixture(one.manifest.descriptor, { seed: 51, artifactType: SBOM });
      await pushFixture(context.store, referrer);
      expect(await context.store.listReferrers(two.manifest.descriptor)).toEqual([]);
      expect(await context.store.listReferrers(one.manifest.descriptor)).toHaveLength(1);

      const later = referrerFixture(two.manifest.descriptor, { seed: 55, artifactType: SBOM });
      await pushFixture(context.store, later);
      const listed = await context.store.listReferrers(two.manifest.descriptor);
      expect(listed.map((d) => d.digest)).toEqual([later.manifest.descriptor.digest]);
      expect(await context.store.listReferrers(one.manifest.descriptor)).toHaveLength(1);
    });

    it('lists referrers of an index and of its child manifests separately', async () => {
      const child = imageFixture({ seed: 52 });
      const index = indexFixture([child]);
      await pushFixture(context.store, index, { tag: 'multi' });
      const onIndex = referrerFixture(index.manifest.descriptor, { seed: 53, artifactType: SBOM });
      const onChild = referrerFixture(child.manifest.descriptor, { seed: 54, artifactType: SBOM });
      await pushFixture(context.store, onIndex);
      await pushFixture(context.store, onChild);
      const digests = async (d: Descriptor) => (await context.store.listReferrers(d)).map((r) => r.digest);
      expect(await digests(index.manifest.descriptor)).toEqual([onIndex.manifest.descriptor.digest]);
      expect(await digests(child.manifest.descriptor)).toEqual([onChild.manifest.descriptor.digest]);
    });
  });
}

function byDigest(descriptors: Descriptor[]): Record<string, Descriptor> {
  return Object.fromEntries(descriptors.map((d) => [d.digest, d]));
}
