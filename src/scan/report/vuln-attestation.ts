import { AppError } from '../../kernel/index.js';
import {
  type Descriptor,
  EMPTY_CONFIG,
  EMPTY_CONFIG_BYTES,
  type Manifest,
  describeBytes,
  encodeManifest,
} from '../../oci/manifest/index.js';
import { MediaType } from '../../oci/mediatype/index.js';
import type { ScanRecord } from './scan-record.js';

/**
 * A scan result as an in-toto attestation (in-toto attestation framework, Statement v1) with
 * cosign's vulnerability predicate (`https://cosign.sigstore.dev/attestation/vuln/v1`, cosign
 * `specs/COSIGN_VULN_ATTESTATION_SPEC.md`), the predicate `trivy --format cosign-vuln` and
 * `cosign attest --type vuln` write, so that tools which read those read ours. The statement
 * is not signed here: signing belongs to the trust area.
 */

export const IN_TOTO_STATEMENT_V1 = 'https://in-toto.io/Statement/v1';
export const VULN_PREDICATE_TYPE = 'https://cosign.sigstore.dev/attestation/vuln/v1';
export const IN_TOTO_MEDIA_TYPE = 'application/vnd.in-toto+json';
/** The annotation referrer listings carry, so that readers can pick attestations without fetching them. */
export const PREDICATE_TYPE_ANNOTATION = 'in-toto.io/predicate-type';
const CREATED_ANNOTATION = 'org.opencontainers.image.created';

/** The scanner's identity as a purl, as Trivy writes its own (`pkg:github/aquasecurity/trivy@<version>`). */
const SCANNER_URIS: Record<ScanRecord['origin'], string> = {
  airlock: 'pkg:generic/airlock',
  trivy: 'pkg:github/aquasecurity/trivy',
  grype: 'pkg:github/anchore/grype',
};

export interface VulnStatement {
  _type: typeof IN_TOTO_STATEMENT_V1;
  subject: { name: string; digest: Record<string, string> }[];
  predicateType: typeof VULN_PREDICATE_TYPE;
  predicate: VulnPredicate;
}

export interface VulnPredicate {
  invocation: { parameters: unknown; uri: string; event_id: string; 'builder.id': string };
  scanner: {
    uri: string;
    version: string;
    db: { uri: string; version: string };
    /** Airlock's scan result: summary and findings per platform (the same for every origin). */
    result: VulnResult;
  };
  metadata: { scanStartedOn: string; scanFinishedOn: string };
}

export type VulnResult = Pick<ScanRecord, 'reference' | 'digest' | 'origin' | 'summary' | 'platforms'> & {
  mediaType?: string;
};

export interface BuildVulnStatementOptions {
  /** `subject[].name`: the image's repository (`registry.example.com/team/app`). */
  subjectName: string;
  /** What ran the scan, when something did (a workflow run): cosign's `invocation`. */
  invocation?: { parameters?: unknown; uri?: string; eventId?: string; builderId?: string };
}

/** The in-toto statement about the scanned image's root manifest. */
export function buildVulnStatement(record: ScanRecord, options: BuildVulnStatementOptions): VulnStatement {
  const invocation = options.invocation ?? {};
  const version = record.scanner.version ?? '';
  return {
    _type: IN_TOTO_STATEMENT_V1,
    subject: [{ name: options.subjectName, digest: digestSet(record.digest) }],
    predicateType: VULN_PREDICATE_TYPE,
    predicate: {
      invocation: {
        parameters: invocation.parameters ?? null,
        uri: invocation.uri ?? '',
        event_id: invocation.eventId ?? '',
        'builder.id': invocation.builderId ?? '',
      },
      scanner: {
        uri: version ? `${SCANNER_URIS[record.origin]}@${version}` : SCANNER_URIS[record.origin],
        version,
        db: { uri: record.scanner.database?.uri ?? '', version: record.scanner.database?.version ?? '' },
        result: {
          reference: record.reference,
          digest: record.digest,
          ...(record.mediaType ? { mediaType: record.mediaType } : {}),
          origin: record.origin,
          summary: record.summary,
          platforms: record.platforms,
        },
      },
      metadata: { scanStartedOn: record.startedAt ?? record.scannedAt, scanFinishedOn: record.scannedAt },
    },
  };
}

export interface VulnAttestationArtifact {
  /** The artifact manifest, whose `subject` is the image. */
  manifest: Manifest;
  /** Blobs to push before the manifest: the empty config and the statement. */
  blobs: { descriptor: Descriptor; bytes: Uint8Array }[];
}

/**
 * The statement as an OCI artifact referring to the image (image-spec v1.1 "Guidelines for
 * artifact usage": `artifactType`, the empty config, one layer, `subject`), discoverable
 * through the Referrers API or its tag-schema fallback.
 */
export function encodeVulnAttestation(
  statement: VulnStatement,
  subject: Descriptor,
  options: { created: string },
): VulnAttestationArtifact {
  const bytes = new TextEncoder().encode(JSON.stringify(statement));
  const layer = describeBytes(bytes, IN_TOTO_MEDIA_TYPE, {
    annotations: { [PREDICATE_TYPE_ANNOTATION]: statement.predicateType },
  });
  const manifest = encodeManifest({
    schemaVersion: 2,
    mediaType: MediaType.OciManifest,
    artifactType: IN_TOTO_MEDIA_TYPE,
    config: EMPTY_CONFIG,
    layers: [layer],
    subject: { mediaType: subject.mediaType, digest: subject.digest, size: subject.size },
    annotations: {
      [PREDICATE_TYPE_ANNOTATION]: statement.predicateType,
      [CREATED_ANNOTATION]: options.created,
    },
  });
  return {
    manifest,
    blobs: [
      { descriptor: EMPTY_CONFIG, bytes: EMPTY_CONFIG_BYTES },
      { descriptor: layer, bytes },
    ],
  };
}

/** `sha256:<hex>` → `{ sha256: '<hex>' }` (in-toto's DigestSet). */
function digestSet(digest: string): Record<string, string> {
  const at = digest.indexOf(':');
  if (at <= 0) throw new AppError('INTERNAL', `not a digest: "${digest}"`);
  return { [digest.slice(0, at)]: digest.slice(at + 1) };
}
