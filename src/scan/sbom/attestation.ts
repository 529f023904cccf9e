import { unwrapStatement } from '../attached/in-toto.js';
import { isRecord } from './json-value.js';
import { detectSbomFormat } from './sbom-document.js';

/**
 * SBOMs as they are attached to images: the plain JSON document, or an in-toto statement
 * (plain, in a DSSE envelope, or in a Sigstore bundle; see `unwrapStatement`) whose predicate
 * is the document. Signatures are not verified here; that is the trust area's job.
 */

export type SbomEnvelope = 'none' | 'in-toto' | 'dsse' | 'sigstore-bundle';

export type UnwrappedSbom =
  | { ok: true; document: unknown; envelope: SbomEnvelope; predicateType?: string; subjects?: string[] }
  /** `foreign`: the content is another kind of artifact (a signature, provenance), not a broken SBOM. */
  | { ok: false; reason: string; foreign?: true };

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
  const unwrapped = unwrapStatement(value);
  if (unwrapped === undefined) {
    return {
      ok: false,
      reason: 'neither an SBOM, an in-toto statement, a DSSE envelope nor a Sigstore bundle',
    };
  }
  if (!unwrapped.ok) return unwrapped;
  const { predicateType, envelope, subjects } = unwrapped;
  if (!isSbomPredicateType(predicateType)) {
    return { ok: false, reason: `predicate type ${predicateType} is not an SBOM`, foreign: true };
  }
  const document = cosignPredicate(unwrapped.predicate);
  if (detectSbomFormat(document) === undefined) {
    return {
      ok: false,
      reason: `predicate of type ${predicateType} is not a CycloneDX or SPDX JSON document`,
    };
  }
  return { ok: true, document, envelope, predicateType, subjects };
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
