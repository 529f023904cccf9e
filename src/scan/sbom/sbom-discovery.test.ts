import { beforeAll, describe, expect, it } from 'vitest';
import {
  makeArtifact,
  makeImage,
  makeSbomArtifact,
  makeSignatureArtifact,
  storeFixture,
  type Fixture,
  type ImageFixture,
} from '../../../test/fixtures/index.js';
import {
  AttestationMediaType,
  makeBuildKitIndex,
  makeCosignAttestationTag,
  makeDsseEnvelope,
  makeInTotoStatement,
  makeJsonReferrer,
  makeSigstoreBundle,
  PredicateType,
} from '../../../test/fixtures/sbom-artifacts.js';
import { makeLayer } from '../../../test/fixtures/layers.js';
import { MemoryStore } from '../../oci/content/index.js';
import type { Descriptor } from '../../oci/manifest/index.js';
import { writeCycloneDx } from './cyclonedx-writer.js';
import { SbomArtifactType } from './sbom-candidates.js';
import { discoverSbom, type SbomDiscovery } from './sbom-discovery.js';
import { inventoryFromSbom } from './sbom-inventory.js';
import { writeSpdx } from './spdx-writer.js';
import { sampleInventory } from './testing/sample-inventory.js';

let amd64: ImageFixture;
let arm64: ImageFixture;

beforeAll(async () => {
  amd64 = makeImage({ layers: [await makeLayer({ seed: 'sbom-amd64', size: 64 })], platform: 'linux/amd64' });
  arm64 = makeImage({ layers: [await makeLayer({ seed: 'sbom-arm64', size: 64 })], platform: 'linux/arm64' });
});

/** The platform's manifest as listed in an index: with its platform. */
function platformEntry(image: ImageFixture): Descriptor {
  const { mediaType, digest, size } = image.root.descriptor;
  return { mediaType, digest, size, platform: image.platform };
}

function inventoryFor(image: ImageFixture, names: string[]) {
  const inventory = sampleInventory();
  inventory.manifestDigest = image.root.descriptor.digest;
  inventory.packages = inventory.packages.filter((p) => names.includes(p.name));
  return inventory;
}

function cycloneDxFor(image: ImageFixture, names: string[]) {
  return writeCycloneDx(inventoryFor(image, names), {
    toolVersion: 'test',
    created: new Date(0),
    uuid: '00000000-0000-4000-8000-000000000001',
  });
}

function spdxFor(image: ImageFixture | IndexOf, names: string[]) {
  const inventory = sampleInventory();
  inventory.manifestDigest = image.root.descriptor.digest;
  inventory.packages = inventory.packages.filter((p) => names.includes(p.name));
  return writeSpdx(inventory, {
    toolVersion: 'test',
    created: new Date(0),
    uuid: '00000000-0000-4000-8000-000000000002',
  });
}

type IndexOf = Fixture;

async function storeWith(...fixtures: Fixture[]): Promise<MemoryStore> {
  const store = new MemoryStore();
  for (const fixture of fixtures) await storeFixture(store, fixture);
  return store;
}

function found(discovery: SbomDiscovery) {
  if (!discovery.found) throw new Error(`expected an SBOM: ${discovery.message}`);
  return discovery;
}

const names = (discovery: SbomDiscovery) =>
  found(discovery)
    .sbom.packages.map((p) => p.name)
    .sort();

describe('discoverSbom', () => {
  it('finds a plain CycloneDX referrer of the platform manifest and records where it came from', async () => {
    const referrer = makeJsonReferrer({
      subject: amd64,
      artifactType: SbomArtifactType.CycloneDx,
      content: cycloneDxFor(amd64, ['libc6', 'lodash']),
    });
    const store = await storeWith(amd64, referrer);
    const result = found(await discoverSbom(store, { manifest: platformEntry(amd64) }));
    expect(names(result)).toEqual(['libc6', 'lodash', 'lodash']);
    expect(result.sbom.format).toBe('cyclonedx');
    expect(result.origin).toEqual({
      via: 'referrer',
      attachedTo: 'platform',
      subject: amd64.root.descriptor.digest,
      manifest: expect.objectContaining({
        digest: referrer.root.descriptor.digest,
        artifactType: SbomArtifactType.CycloneDx,
      }),
      layer: (referrer.root as { image: { layers: Descriptor[] } }).image.layers[0],
      envelope: 'none',
    });
  });

  it('finds a DSSE-wrapped in-toto statement with an SPDX predicate', async () => {
    const statement = makeInTotoStatement({
      subject: amd64,
      predicateType: PredicateType.Spdx,
      predicate: spdxFor(amd64, ['requests']),
    });
    const referrer = makeJsonReferrer({
      subject: amd64,
      artifactType: AttestationMediaType.Dsse,
      content: makeDsseEnvelope(statement),
      layerAnnotations: { 'in-toto.io/predicate-type': PredicateType.Spdx },
    });
    const signature = makeSignatureArtifact(amd64);
    const result = found(
      await discoverSbom(await storeWith(amd64, signature, referrer), { manifest: platformEntry(amd64) }),
    );
    expect(names(result)).toEqual(['requests']);
    expect(result.origin).toMatchObject({ envelope: 'dsse', predicateType: PredicateType.Spdx });
    expect(result.skipped).toEqual([]);
  });

  it('finds an SBOM in a Sigstore bundle referrer and passes over signature bundles', async () => {
    const statement = makeInTotoStatement({
      subject: amd64,
      predicateType: PredicateType.CycloneDx,
      predicate: cycloneDxFor(amd64, ['rake']),
    });
    const bundle = makeJsonReferrer({
      subject: amd64,
      artifactType: AttestationMediaType.SigstoreBundle,
      content: makeSigstoreBundle(makeDsseEnvelope(statement)),
      annotations: {
        'dev.sigstore.bundle.content': 'dsse-envelope',
        'dev.sigstore.bundle.predicateType': PredicateType.CycloneDx,
      },
    });
    const result = found(
      await discoverSbom(await storeWith(amd64, makeSignatureArtifact(amd64), bundle), {
        manifest: platformEntry(amd64),
      }),
    );
    expect(result.origin.envelope).toBe('sigstore-bundle');
    expect(names(result)).toEqual(['rake']);
  });

  it('finds the BuildKit attestation manifest of the platform in the index, skipping provenance', async () => {
    const sbomOf = (image: ImageFixture, pkgs: string[]) =>
      makeInTotoStatement({
        subject: image,
        predicateType: PredicateType.Spdx,
        predicate: spdxFor(image, pkgs),
      });
    const provenance = (image: ImageFixture) =>
      makeInTotoStatement({
        subject: image,
        predicateType: PredicateType.SlsaProvenance02,
        predicate: { buildType: 'x' },
      });
    const index = makeBuildKitIndex({
      images: [amd64, arm64],
      attestations: new Map([
        [
          amd64.root.descriptor.digest,
          [{ statement: provenance(amd64) }, { statement: sbomOf(amd64, ['libc6']) }],
        ],
        [
          arm64.root.descriptor.digest,
          [{ statement: provenance(arm64) }, { statement: sbomOf(arm64, ['zlib1g', 'base-files']) }],
        ],
      ]),
    });
    const store = await storeWith(index);
    const result = found(
      await discoverSbom(store, { manifest: platformEntry(arm64), index: index.root.descriptor }),
    );
    expect(names(result)).toEqual(['base-files', 'zlib1g']);
    expect(result.origin).toMatchObject({
      via: 'attestation-manifest',
      attachedTo: 'platform',
      envelope: 'in-toto',
      subject: arm64.root.descriptor.digest,
    });
    expect(result.skipped).toEqual([]);
    const other = found(await discoverSbom(store, { manifest: platformEntry(amd64), index: index.root }));
    expect(names(other)).toEqual(['libc6']);
  });

  it('prefers the platform SBOM to the index SBOM, and falls back to the index with a notice', async () => {
    const index = makeBuildKitIndex({ images: [amd64, arm64], attestations: new Map() });
    const indexSbom = makeJsonReferrer({
      subject: index,
      artifactType: SbomArtifactType.Spdx,
      content: spdxFor(index, ['libc6', 'zlib1g']),
    });
    const amd64Sbom = makeJsonReferrer({
      subject: amd64,
      artifactType: SbomArtifactType.CycloneDx,
      content: cycloneDxFor(amd64, ['lodash']),
    });
    const store = await storeWith(index, indexSbom, amd64Sbom);
    const own = found(
      await discoverSbom(store, { manifest: platformEntry(amd64), index: index.root.descriptor }),
    );
    expect(own.origin.attachedTo).toBe('platform');
    expect(names(own)).toEqual(['lodash', 'lodash']);
    const fallback = found(
      await discoverSbom(store, { manifest: platformEntry(arm64), index: index.root.descriptor }),
    );
    expect(fallback.origin).toMatchObject({ attachedTo: 'index', subject: index.root.descriptor.digest });
    expect(fallback.sbom.notices.map((n) => n.code)).toContain('SBOM_FROM_INDEX');
  });

  it("finds cosign's .att tag attestations", async () => {
    const statement = makeInTotoStatement({
      subject: amd64,
      predicateType: PredicateType.Spdx,
      predicate: spdxFor(amd64, ['cryptography']),
    });
    const provenance = makeInTotoStatement({
      subject: amd64,
      predicateType: PredicateType.SlsaProvenance02,
      predicate: {},
    });
    const { fixture, tag } = makeCosignAttestationTag(amd64, [
      { envelope: makeDsseEnvelope(provenance), predicateType: PredicateType.SlsaProvenance02 },
      { envelope: makeDsseEnvelope(statement), predicateType: PredicateType.Spdx },
    ]);
    const store = await storeWith(amd64);
    await storeFixture(store, fixture, { tag });
    const result = found(await discoverSbom(store, { manifest: platformEntry(amd64) }));
    expect(result.origin).toMatchObject({ via: 'cosign-tag', tag, envelope: 'dsse' });
    expect(names(result)).toEqual(['cryptography']);
    const withoutTags = await discoverSbom(store, { manifest: platformEntry(amd64), cosignTags: false });
    expect(withoutTags.found).toBe(false);
  });

  it('skips malformed, foreign and oversized candidates, saying why, and uses the next one', async () => {
    const created = (time: string) => ({ 'org.opencontainers.image.created': time });
    const broken = makeArtifact({
      subject: amd64,
      artifactType: SbomArtifactType.Spdx,
      payload: '{"spdxVersion": "SPDX-2.3", "packages": 7}',
      annotations: created('2025-03-03T00:00:00Z'),
    });
    const otherSubject = makeJsonReferrer({
      subject: amd64,
      artifactType: SbomArtifactType.InToto,
      content: makeInTotoStatement({
        subject: arm64,
        predicateType: PredicateType.Spdx,
        predicate: spdxFor(arm64, ['libc6']),
      }),
      annotations: created('2025-03-02T00:00:00Z'),
    });
    const good = makeSbomArtifact(amd64, { packages: [{ name: 'ignored-no-purl', version: '1' }] });
    const usable = makeJsonReferrer({
      subject: amd64,
      artifactType: SbomArtifactType.CycloneDx,
      content: cycloneDxFor(amd64, ['serde']),
      annotations: created('2025-03-01T00:00:00Z'),
    });
    const store = await storeWith(amd64, broken, otherSubject, good, usable);
    const result = found(await discoverSbom(store, { manifest: platformEntry(amd64) }));
    expect(names(result)).toEqual(['serde']);
    expect(result.skipped.map((s) => s.reason)).toEqual([
      expect.stringContaining('field "packages" must be an array'),
      `the in-toto statement is about ${arm64.root.descriptor.digest}, not ${amd64.root.descriptor.digest}`,
    ]);

    const small = await discoverSbom(store, { manifest: platformEntry(amd64), maxSbomBytes: 64 });
    expect(small.found).toBe(false);
    expect(small.skipped.some((s) => s.reason.includes('exceeds the SBOM size limit of 64 bytes'))).toBe(
      true,
    );
  });

  it('says plainly when a platform has no SBOM', async () => {
    const index = makeBuildKitIndex({ images: [amd64, arm64], attestations: new Map() });
    const amd64Sbom = makeJsonReferrer({
      subject: amd64,
      artifactType: SbomArtifactType.CycloneDx,
      content: cycloneDxFor(amd64, ['lodash']),
    });
    const store = await storeWith(index, amd64Sbom, makeSignatureArtifact(arm64));
    const result = await discoverSbom(store, {
      manifest: platformEntry(arm64),
      index: index.root.descriptor,
    });
    expect(result).toEqual({
      found: false,
      platform: 'linux/arm64',
      manifestDigest: arm64.root.descriptor.digest,
      message: `no SBOM for platform linux/arm64 (${arm64.root.descriptor.digest}): no SBOM is attached`,
      skipped: [],
    });
  });

  it('stops when cancelled', async () => {
    const store = await storeWith(amd64);
    const controller = new AbortController();
    controller.abort();
    await expect(
      discoverSbom(store, { manifest: platformEntry(amd64), signal: controller.signal }),
    ).rejects.toMatchObject({ code: 'ABORTED' });
  });

  it('turns a discovered SBOM into the inventory of the platform', async () => {
    const referrer = makeJsonReferrer({
      subject: amd64,
      artifactType: SbomArtifactType.CycloneDx,
      content: cycloneDxFor(amd64, ['libc6']),
    });
    const result = found(
      await discoverSbom(await storeWith(amd64, referrer), { manifest: platformEntry(amd64) }),
    );
    const inventory = inventoryFromSbom(result.sbom, {
      manifestDigest: amd64.root.descriptor.digest,
      platform: amd64.platform,
      origin: result.origin,
    });
    expect(inventory).toMatchObject({
      source: 'sbom',
      manifestDigest: amd64.root.descriptor.digest,
      os: { id: 'debian', versionId: '12' },
    });
    expect(inventory.packages.map((p) => p.name)).toEqual(['libc6']);
    expect(inventory.notices[0]).toMatchObject({
      code: 'SBOM_USED',
      message: expect.stringContaining(
        `cyclonedx 1.6 SBOM made by airlock-test in referrer ${referrer.root.descriptor.digest}`,
      ),
    });
  });
});
