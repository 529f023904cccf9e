import { isRecord, stringField, type JsonRecord } from './json-value.js';
import { detectSbomFormat } from './sbom-document.js';

/**
 * SBOMs as they are attached to images: the plain JSON document, an in-toto statement whose
 * predicate is the document (BuildKit, Docker Hardened Images), that statement in a DSSE
 * envelope (cosign attest), or that envelope in a Sigstore bundle (cosign 2.4+ referrers).
 * Signatures are not verified here; that is the trust area's job.
 */

export type SbomEnvelope = 'none' | 'in-toto' | 'dsse' | 'sigstore-bundle';

export type UnwrappedSbom =
  | { ok: true; document: unknown; envelope: SbomEnvelope; predicateType?: string; subjects?: string[] }
  /** `foreign`: the content is another kind of artifact (a signature, provenance), not a broken SBOM. */
  | { ok: false; reason: string; foreign?: true };

/** in-toto Statement v0.1 and v1 (in-toto attestation framework, "Statement"). */
const STATEMENT_TYPE = /^https:\/\/in-toto\.io\/Statement\/v(0\.1|1)$/;
/** DSSE payloadType of in-toto statements (in-toto attestation framework, "Envelope"). */
const IN_TOTO_PAYLOAD_TYPE = 'application/vnd.in-toto+json';
/**
 * Predicate types of SBOMs: CycloneDX's `https://cyclonedx.org/bom` (optionally `/v1.x`) and
 * SPDX 2's `https://spdx.dev/Document` (optionally `/v2.x`), as cosign and BuildKit write them.
 */
const SBOM_PREDICATE_TYPE = /^https:\/\/(cyclonedx\.org\/bom(\/v1\.\d+)?|spdx\.dev\/Document(\/v2\.\d+)?)$/;

export function isSbomPredicateType(predicateType: string): boolean {
  return SBOM_PREDICATE_TYPE.test(predicateType);
}

/** Takes the SBOM out of whatever wraps it, or says why there is none. */
export function unwrapSbom(value: unknown): UnwrappedSbom {
  if (detectSbomFormat(value) !== undefined) return { ok: true, document: value, envelope: 'none' };
  if (!isRecord(value)) return { ok: false, reason: 'content is not a JSON object' };
  if (isRecord(value.dsseEnvelope)) return fromEnvelope(value.dsseEnvelope, 'sigstore-bundle');
  if (typeof value.payloadType === 'string' && typeof value.payload === 'string') {
    return fromEnvelope(value, 'dsse');
  }
  if (typeof value._type === 'string' && STATEMENT_TYPE.test(value._type)) {
    return fromStatement(value, 'in-toto');
  }
  if (isRecord(value.messageSignature)) {
    return {
      ok: false,
      reason: 'a Sigstore bundle with a message signature, not an attestation',
      foreign: true,
    };
  }
  return {
    ok: false,
    reason: 'neither an SBOM, an in-toto statement, a DSSE envelope nor a Sigstore bundle',
  };
}

function fromEnvelope(envelope: JsonRecord, kind: 'dsse' | 'sigstore-bundle'): UnwrappedSbom {
  const payloadType = stringField(envelope, 'payloadType');
  if (payloadType !== IN_TOTO_PAYLOAD_TYPE) {
    return {
      ok: false,
      reason: `DSSE payloadType ${JSON.stringify(payloadType)} is not ${IN_TOTO_PAYLOAD_TYPE}`,
      foreign: true,
    };
  }
  const payload = typeof envelope.payload === 'string' ? envelope.payload : '';
  let statement: unknown;
  try {
    // DSSE payloads are base64 (standard or URL-safe alphabet; Node's decoder takes both).
    statement = JSON.parse(Buffer.from(payload, 'base64').toString('utf8'));
  } catch (error) {
    return { ok: false, reason: `DSSE payload is not base64-encoded JSON: ${(error as Error).message}` };
  }
  if (!isRecord(statement) || typeof statement._type !== 'string' || !STATEMENT_TYPE.test(statement._type)) {
    return { ok: false, reason: 'DSSE payload is not an in-toto statement' };
  }
  return fromStatement(statement, kind);
}

function fromStatement(statement: JsonRecord, envelope: SbomEnvelope): UnwrappedSbom {
  const predicateType = stringField(statement, 'predicateType');
  if (predicateType === undefined) return { ok: false, reason: 'in-toto statement has no predicateType' };
  if (!isSbomPredicateType(predicateType)) {
    return { ok: false, reason: `predicate type ${predicateType} is not an SBOM`, foreign: true };
  }
  const document = cosignPredicate(statement.predicate);
  if (detectSbomFormat(document) === undefined) {
    return {
      ok: false,
      reason: `predicate of type ${predicateType} is not a CycloneDX or SPDX JSON document`,
    };
  }
  return { ok: true, document, envelope, predicateType, subjects: subjectDigests(statement.subject) };
}

/**
 * cosign's "custom" predicate shape `{ Data, Timestamp }` (older `cosign attest --type spdx`)
 * holds the document in `Data`, as JSON text or as an object.
 */
function cosignPredicate(predicate: unknown): unknown {
  if (!isRecord(predicate) || detectSbomFormat(predicate) !== undefined || !('Data' in predicate)) {
    return predicate;
  }
  if (typeof predicate.Data !== 'string') return predicate.Data;
  try {
    return JSON.parse(predicate.Data);
  } catch {
    return undefined;
  }
}

/** `subject[].digest` as OCI digests (`sha256:<hex>`). */
function subjectDigests(subject: unknown): string[] {
  if (!Array.isArray(subject)) return [];
  const digests: string[] = [];
  for (const entry of subject) {
    if (!isRecord(entry) || !isRecord(entry.digest)) continue;
    for (const [algorithm, hex] of Object.entries(entry.digest)) {
      if (typeof hex === 'string') digests.push(`${algorithm}:${hex.toLowerCase()}`);
    }
  }
  return digests;
}
