import { describe, expect, it } from 'vitest';
import { digestOf } from '../../kernel/index.js';
import { EMPTY_CONFIG, parseManifest, type Descriptor } from '../../oci/manifest/index.js';
import type { Finding } from '../vulndb/index.js';
import type { ScanRecord } from './scan-record.js';
import { buildVulnStatement, encodeVulnAttestation } from './vuln-attestation.js';

const INDEX: Descriptor = {
  mediaType: 'application/vnd.oci.image.index.v1+json',
  digest: `sha256:${'ab'.repeat(32)}`,
  size: 812,
};

const FINDING: Finding = {
  id: 'CVE-2023-0286',
  aliases: ['DSA-5343-1'],
  advisories: ['DEBIAN-CVE-2023-0286'],
  package: { name: 'libssl3', version: '3.0.7-1', type: 'deb', purl: 'pkg:deb/debian/libssl3@3.0.7-1' },
  fixedVersions: ['3.0.8-1'],
  severity: { rating: 'HIGH', score: 7.4, source: 'CVSS_V3' },
  urls: [],
  origin: 'osv',
  suppressed: false,
};

const RECORD: ScanRecord = {
  reference: 'registry.example.com/team/app:1.0',
  digest: INDEX.digest,
  mediaType: INDEX.mediaType,
  origin: 'airlock',
  scanner: {
    name: 'airlock',
    version: '0.1.0',
    database: { uri: 'https://osv.dev', version: '2026-01-01T00:00:00.000Z' },
  },
  startedAt: '2026-01-02T10:00:00.000Z',
  scannedAt: '2026-01-02T10:00:07.000Z',
  platforms: [
    {
      manifestDigest: `sha256:${'cd'.repeat(32)}`,
      platform: { os: 'linux', architecture: 'amd64' },
      os: { id: 'debian', versionId: '12' },
      packageCount: 90,
      inventorySource: 'layers',
      findings: [FINDING],
      notices: [],
    },
  ],
  summary: { CRITICAL: 0, HIGH: 1, MEDIUM: 0, LOW: 0, UNKNOWN: 0, NONE: 0 },
};

describe('buildVulnStatement', () => {
  it('writes an in-toto v1 statement about the image root with cosign’s vuln predicate', () => {
    const statement = buildVulnStatement(RECORD, { subjectName: 'registry.example.com/team/app' });
    expect(statement).toMatchObject({
      _type: 'https://in-toto.io/Statement/v1',
      subject: [{ name: 'registry.example.com/team/app', digest: { sha256: 'ab'.repeat(32) } }],
      predicateType: 'https://cosign.sigstore.dev/attestation/vuln/v1',
      predicate: {
        invocation: { parameters: null, uri: '', event_id: '', 'builder.id': '' },
        scanner: {
          uri: 'pkg:generic/airlock@0.1.0',
          version: '0.1.0',
          db: { uri: 'https://osv.dev', version: '2026-01-01T00:00:00.000Z' },
          result: {
            reference: RECORD.reference,
            digest: RECORD.digest,
            origin: 'airlock',
            summary: RECORD.summary,
            platforms: RECORD.platforms,
          },
        },
        metadata: { scanStartedOn: '2026-01-02T10:00:00.000Z', scanFinishedOn: '2026-01-02T10:00:07.000Z' },
      },
    });
    expect(Object.keys(statement.predicate)).toEqual(['invocation', 'scanner', 'metadata']);
  });

  it('names other scanners by their purl and leaves unknown versions empty, as Trivy does', () => {
    const trivy = buildVulnStatement(
      { ...RECORD, origin: 'trivy', scanner: { name: 'trivy', version: '0.56.2' }, startedAt: undefined },
      { subjectName: 'x', invocation: { eventId: 'run-7', builderId: 'airlock' } },
    );
    expect(trivy.predicate.scanner).toMatchObject({
      uri: 'pkg:github/aquasecurity/trivy@0.56.2',
      db: { uri: '', version: '' },
    });
    expect(trivy.predicate.invocation).toMatchObject({ event_id: 'run-7', 'builder.id': 'airlock' });
    expect(trivy.predicate.metadata.scanStartedOn).toBe(RECORD.scannedAt);
    const grype = buildVulnStatement(
      { ...RECORD, origin: 'grype', scanner: { name: 'grype' } },
      { subjectName: 'x' },
    );
    expect(grype.predicate.scanner).toMatchObject({ uri: 'pkg:github/anchore/grype', version: '' });
  });
});

describe('encodeVulnAttestation', () => {
  it('is an OCI artifact: in-toto artifact type, the empty config, one statement layer, the image as subject', () => {
    const statement = buildVulnStatement(RECORD, { subjectName: 'registry.example.com/team/app' });
    const { manifest, blobs } = encodeVulnAttestation(
      statement,
      { ...INDEX, annotations: { a: 'b' } },
      {
        created: '2026-01-02T10:00:08Z',
      },
    );
    const parsed = parseManifest(manifest.bytes, { mediaType: manifest.descriptor.mediaType });
    expect(parsed.descriptor.digest).toBe(manifest.descriptor.digest);
    if (parsed.kind !== 'image') throw new Error('expected an image manifest');
    expect(parsed.image).toEqual({
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      artifactType: 'application/vnd.in-toto+json',
      config: EMPTY_CONFIG,
      layers: [
        {
          mediaType: 'application/vnd.in-toto+json',
          digest: blobs[1]!.descriptor.digest,
          size: blobs[1]!.bytes.length,
          annotations: { 'in-toto.io/predicate-type': 'https://cosign.sigstore.dev/attestation/vuln/v1' },
        },
      ],
      // Only the standard descriptor fields: annotations of the subject are not carried.
      subject: INDEX,
      annotations: {
        'in-toto.io/predicate-type': 'https://cosign.sigstore.dev/attestation/vuln/v1',
        'org.opencontainers.image.created': '2026-01-02T10:00:08Z',
      },
    });
    expect(manifest.descriptor).toMatchObject({
      artifactType: 'application/vnd.in-toto+json',
      annotations: { 'in-toto.io/predicate-type': 'https://cosign.sigstore.dev/attestation/vuln/v1' },
    });
    expect(blobs.map((b) => digestOf(b.bytes))).toEqual(blobs.map((b) => b.descriptor.digest));
    expect(JSON.parse(new TextDecoder().decode(blobs[1]!.bytes))).toEqual(statement);
  });

  it('gives equal digests for equal inputs', () => {
    const statement = buildVulnStatement(RECORD, { subjectName: 'r' });
    const a = encodeVulnAttestation(statement, INDEX, { created: '2026-01-02T10:00:08Z' });
    const b = encodeVulnAttestation(structuredClone(statement), INDEX, { created: '2026-01-02T10:00:08Z' });
    expect(a.manifest.descriptor.digest).toBe(b.manifest.descriptor.digest);
  });
});
