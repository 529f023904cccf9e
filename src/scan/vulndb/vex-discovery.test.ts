import { beforeAll, describe, expect, it } from 'vitest';
import { makeImage, storeFixture, type Fixture, type ImageFixture } from '../../../test/fixtures/index.js';
import { makeLayer } from '../../../test/fixtures/layers.js';
import {
  AttestationMediaType,
  InTotoType,
  makeDsseEnvelope,
  makeInTotoStatement,
  makeJsonReferrer,
  makeSigstoreBundle,
} from '../../../test/fixtures/sbom-artifacts.js';
import { MemoryStore } from '../../oci/content/index.js';
import type { Descriptor } from '../../oci/manifest/index.js';
import { OPENVEX_ARTIFACT_TYPE, discoverAttachedVex } from './vex-discovery.js';

let image: ImageFixture;
let other: ImageFixture;

beforeAll(async () => {
  image = makeImage({ layers: [await makeLayer({ seed: 'vex-image', size: 64 })] });
  other = makeImage({ layers: [await makeLayer({ seed: 'vex-other', size: 64 })] });
});

function openVex(id: string, vulnerability = 'CVE-2023-32681') {
  return {
    '@context': 'https://openvex.dev/ns/v0.2.0',
    '@id': id,
    author: 'secops@example.com',
    timestamp: '2026-11-01T00:00:00Z',
    version: 1,
    statements: [
      {
        vulnerability: { name: vulnerability },
        products: [{ '@id': 'pkg:pypi/requests@2.28.0' }],
        status: 'not_affected',
        justification: 'vulnerable_code_not_in_execute_path',
      },
    ],
  };
}

const subjectOf = (fixture: ImageFixture): Descriptor => fixture.root.descriptor;

async function storeWith(...fixtures: Fixture[]): Promise<MemoryStore> {
  const store = new MemoryStore();
  for (const fixture of [image, other, ...fixtures]) await storeFixture(store, fixture);
  return store;
}

describe('discoverAttachedVex', () => {
  it('reads OpenVEX artifacts and in-toto, DSSE and Sigstore-bundle statements with an OpenVEX predicate', async () => {
    const statement = (id: string) =>
      makeInTotoStatement({
        subject: image,
        type: InTotoType.StatementV1,
        predicateType: 'https://openvex.dev/ns/v0.2.0',
        predicate: openVex(id),
      });
    const store = await storeWith(
      makeJsonReferrer({ subject: image, artifactType: OPENVEX_ARTIFACT_TYPE, content: openVex('plain') }),
      makeJsonReferrer({
        subject: image,
        artifactType: AttestationMediaType.InToto,
        content: statement('in-toto'),
        annotations: { 'in-toto.io/predicate-type': 'https://openvex.dev/ns' },
      }),
      makeJsonReferrer({
        subject: image,
        artifactType: AttestationMediaType.Dsse,
        content: makeDsseEnvelope(statement('dsse')),
      }),
      makeJsonReferrer({
        subject: image,
        artifactType: AttestationMediaType.SigstoreBundle,
        content: makeSigstoreBundle(makeDsseEnvelope(statement('bundle'))),
      }),
    );
    const found = await discoverAttachedVex(store, subjectOf(image));
    expect(found.notices).toEqual([]);
    expect(found.documents.map((d) => d.id).sort()).toEqual(['bundle', 'dsse', 'in-toto', 'plain']);
    expect(found.documents.every((d) => /^referrer sha256:[0-9a-f]{64}$/.test(d.source ?? ''))).toBe(true);
    expect(await discoverAttachedVex(store, subjectOf(other))).toEqual({ documents: [], notices: [] });
  });

  it('leaves other attestations alone, unread when their annotations say what they are', async () => {
    const vuln = makeJsonReferrer({
      subject: image,
      artifactType: AttestationMediaType.InToto,
      content: { not: 'fetched' },
      annotations: { 'in-toto.io/predicate-type': 'https://cosign.sigstore.dev/attestation/vuln/v1' },
    });
    const provenance = makeJsonReferrer({
      subject: image,
      artifactType: AttestationMediaType.InToto,
      content: makeInTotoStatement({
        subject: image,
        predicateType: 'https://slsa.dev/provenance/v1',
        predicate: {},
      }),
    });
    const store = await storeWith(vuln, provenance);
    // The vuln attestation's layer is missing: reading it would be a notice.
    const missing = vuln.root.kind === 'image' ? vuln.root.image.layers[0]!.digest : '';
    await store.deleteBlob({ mediaType: 'application/vnd.in-toto+json', digest: missing, size: 0 });
    expect(await discoverAttachedVex(store, subjectOf(image))).toEqual({ documents: [], notices: [] });
  });

  it('refuses a statement about another image, and says why malformed documents were skipped', async () => {
    const aboutOther = makeInTotoStatement({
      subject: other,
      predicateType: 'https://openvex.dev/ns/v0.2.0',
      predicate: openVex('about-other'),
    });
    const broken = { ...openVex('broken'), statements: 'none' };
    const partly = openVex('partly');
    partly.statements.push({ ...partly.statements[0]!, status: 'maybe' });
    const store = await storeWith(
      makeJsonReferrer({ subject: image, artifactType: AttestationMediaType.InToto, content: aboutOther }),
      makeJsonReferrer({ subject: image, artifactType: OPENVEX_ARTIFACT_TYPE, content: broken }),
      makeJsonReferrer({ subject: image, artifactType: OPENVEX_ARTIFACT_TYPE, content: partly }),
    );
    const found = await discoverAttachedVex(store, subjectOf(image));
    expect(found.documents.map((d) => d.id)).toEqual(['partly']);
    expect(found.documents[0]!.statements).toHaveLength(1);
    const messages = found.notices.map((n) => n.message).sort();
    expect(found.notices.every((n) => n.code === 'SCAN_VEX_SKIPPED' && n.level === 'warning')).toBe(true);
    expect(messages).toEqual([
      expect.stringMatching(/: "statements" must be an array$/),
      expect.stringMatching(/statements\[1\]: "status" must be one of/),
      expect.stringMatching(
        new RegExp(`the in-toto statement is about ${other.root.descriptor.digest}, not`),
      ),
    ]);
  });

  it('caps what it reads of a document', async () => {
    const store = await storeWith(
      makeJsonReferrer({ subject: image, artifactType: OPENVEX_ARTIFACT_TYPE, content: openVex('big') }),
    );
    const found = await discoverAttachedVex(store, subjectOf(image), { maxBytes: 100 });
    expect(found.documents).toEqual([]);
    expect(found.notices[0]!.message).toMatch(/exceeds the VEX document size limit of 100 bytes/);
  });
});
