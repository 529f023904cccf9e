import { describe, expect, it } from 'vitest';
import {
  makeDsseEnvelope,
  makeInTotoStatement,
  makeSigstoreBundle,
  PredicateType,
} from '../../../test/fixtures/sbom-artifacts.js';
import type { Descriptor } from '../../oci/manifest/index.js';
import { isSbomPredicateType, unwrapSbom } from './attestation.js';

const SUBJECT: Descriptor = {
  mediaType: 'application/vnd.oci.image.manifest.v1+json',
  digest: 'sha256:5b0bcabd1ed22e9fb1310cf6c2dec7cdef19f0ad69efa1f392e94a4333501270',
  size: 1234,
};
const SPDX = { spdxVersion: 'SPDX-2.3', SPDXID: 'SPDXRef-DOCUMENT', packages: [] };
const CYCLONEDX = { bomFormat: 'CycloneDX', specVersion: '1.6', components: [] };

describe('unwrapSbom', () => {
  it('takes plain documents as they are', () => {
    expect(unwrapSbom(CYCLONEDX)).toEqual({ ok: true, document: CYCLONEDX, envelope: 'none' });
  });

  it('takes the predicate of an in-toto statement with an SBOM predicate type', () => {
    const statement = makeInTotoStatement({
      subject: SUBJECT,
      predicateType: PredicateType.Spdx,
      predicate: SPDX,
    });
    expect(unwrapSbom(statement)).toEqual({
      ok: true,
      document: SPDX,
      envelope: 'in-toto',
      predicateType: 'https://spdx.dev/Document',
      subjects: [SUBJECT.digest],
    });
  });

  it('decodes DSSE envelopes and Sigstore bundles around statements', () => {
    const statement = makeInTotoStatement({
      subject: SUBJECT,
      predicateType: 'https://cyclonedx.org/bom/v1.6',
      predicate: CYCLONEDX,
      type: 'https://in-toto.io/Statement/v1',
    });
    const envelope = makeDsseEnvelope(statement);
    expect(unwrapSbom(envelope)).toMatchObject({ ok: true, document: CYCLONEDX, envelope: 'dsse' });
    expect(unwrapSbom(makeSigstoreBundle(envelope))).toMatchObject({
      ok: true,
      document: CYCLONEDX,
      envelope: 'sigstore-bundle',
    });
  });

  it('accepts base64url payloads', () => {
    const envelope = makeDsseEnvelope(
      makeInTotoStatement({ subject: SUBJECT, predicateType: PredicateType.Spdx, predicate: SPDX }),
    );
    const urlSafe = { ...envelope, payload: Buffer.from(envelope.payload, 'base64').toString('base64url') };
    expect(unwrapSbom(urlSafe)).toMatchObject({ ok: true, envelope: 'dsse' });
  });

  it("reads cosign's { Data } predicate wrapper", () => {
    const statement = makeInTotoStatement({
      subject: SUBJECT,
      predicateType: PredicateType.Spdx,
      predicate: { Data: JSON.stringify(SPDX), Timestamp: '2024-01-01T00:00:00Z' },
    });
    expect(unwrapSbom(statement)).toMatchObject({ ok: true, document: SPDX });
  });

  it('says why there is no SBOM', () => {
    const provenance = makeInTotoStatement({
      subject: SUBJECT,
      predicateType: PredicateType.SlsaProvenance02,
      predicate: { builder: {} },
    });
    expect(unwrapSbom(provenance)).toEqual({
      ok: false,
      reason: 'predicate type https://slsa.dev/provenance/v0.2 is not an SBOM',
      foreign: true,
    });
    expect(
      unwrapSbom(makeDsseEnvelope(SPDX, { payloadType: 'application/vnd.cncf.notary.payload.v1+json' })),
    ).toMatchObject({
      ok: false,
      reason: expect.stringContaining('payloadType'),
    });
    const notJson = {
      payloadType: 'application/vnd.in-toto+json',
      payload: Buffer.from('{nope').toString('base64'),
      signatures: [],
    };
    expect(unwrapSbom(notJson)).toMatchObject({
      ok: false,
      reason: expect.stringContaining('not base64-encoded JSON'),
    });
    const wrongPredicate = makeInTotoStatement({
      subject: SUBJECT,
      predicateType: PredicateType.CycloneDx,
      predicate: { hello: 'world' },
    });
    expect(unwrapSbom(wrongPredicate)).toMatchObject({
      ok: false,
      reason: expect.stringContaining('not a CycloneDX or SPDX JSON document'),
    });
    expect(unwrapSbom({ messageSignature: {} })).toMatchObject({
      ok: false,
      foreign: true,
      reason: expect.stringContaining('message signature'),
    });
    expect(unwrapSbom(notJson)).not.toHaveProperty('foreign');
    expect(unwrapSbom([1, 2])).toEqual({ ok: false, reason: 'content is not a JSON object' });
  });
});

describe('isSbomPredicateType', () => {
  it.each([
    ['https://cyclonedx.org/bom', true],
    ['https://cyclonedx.org/bom/v1.5', true],
    ['https://spdx.dev/Document', true],
    ['https://spdx.dev/Document/v2.3', true],
    ['https://spdx.dev/Document/v3', false],
    ['https://slsa.dev/provenance/v1', false],
    ['https://openvex.dev/ns/v0.2.0', false],
  ])('%s → %s', (type, expected) => {
    expect(isSbomPredicateType(type)).toBe(expected);
  });
});
