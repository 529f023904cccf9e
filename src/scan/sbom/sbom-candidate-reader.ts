import { isAbortError, isAppError, type Digest } from '../../kernel/index.js';
import type { ReadOnlyTarget } from '../../oci/content/index.js';
import type { Descriptor } from '../../oci/manifest/index.js';
import { readBlobBytes } from '../attached/blob-bytes.js';
import { isJsonLayer } from '../attached/referrer-filters.js';
import { unwrapSbom, type SbomEnvelope } from './attestation.js';
import { namesOtherPredicate, type SbomAttachment, type SbomCandidate } from './sbom-candidates.js';
import { parseJsonBytes, readSbom } from './sbom-document.js';
import type { ParsedSbom } from './types.js';

/** Where a discovered SBOM came from, for the record (and, later, for verifying its signature). */
export interface SbomOrigin {
  via: SbomAttachment;
  /** Whether it is attached to the platform's manifest or to the index. */
  attachedTo: 'platform' | 'index';
  /** Digest of the manifest it is attached to. */
  subject: Digest;
  /** The manifest holding it: referrer artifact, attestation manifest, cosign tag manifest. */
  manifest: Descriptor;
  /** The layer the document was read from. */
  layer: Descriptor;
  envelope: SbomEnvelope;
  predicateType?: string;
  tag?: string;
}

/** A candidate that did not give an SBOM, and why. */
export interface SkippedSbomCandidate {
  via: SbomAttachment;
  manifest: Descriptor;
  layer?: Descriptor;
  reason: string;
}

export type CandidateResult =
  { ok: true; sbom: ParsedSbom; origin: SbomOrigin } | { ok: false; skipped: SkippedSbomCandidate[] };

export interface ReadCandidateOptions {
  maxBytes: number;
  signal?: AbortSignal;
}

/**
 * Reads a candidate manifest's layers in order and returns the first SBOM among them.
 * Missing or unreadable content, foreign predicates and malformed documents are reasons
 * to skip; failures of the store itself (network, cancellation) propagate.
 */
export async function readCandidate(
  target: ReadOnlyTarget,
  candidate: SbomCandidate,
  options: ReadCandidateOptions,
): Promise<CandidateResult> {
  const skip = (reason: string, layer?: Descriptor): SkippedSbomCandidate => ({
    via: candidate.via,
    manifest: candidate.manifest,
    layer,
    reason,
  });
  let layers: Descriptor[];
  try {
    const manifest = await target.fetchManifest(candidate.manifest, { signal: options.signal });
    if (manifest.kind !== 'image') {
      return { ok: false, skipped: [skip('an index, not an artifact manifest')] };
    }
    layers = manifest.image.layers;
  } catch (error) {
    return { ok: false, skipped: [skip(reasonOf(error))] };
  }
  const skipped: SkippedSbomCandidate[] = [];
  let foreign = false;
  for (const layer of layers) {
    const result = await readLayer(target, candidate, layer, options);
    if (result.ok) return result;
    if (result.reason !== undefined) skipped.push(skip(result.reason, layer));
    foreign ||= result.foreign === true;
  }
  // A candidate holding only other kinds of attestation (a signature, provenance) is not worth a mention.
  if (skipped.length === 0 && !foreign) skipped.push(skip('no layer holds an SBOM'));
  return { ok: false, skipped };
}

type LayerResult =
  { ok: true; sbom: ParsedSbom; origin: SbomOrigin } | { ok: false; reason?: string; foreign?: boolean };

async function readLayer(
  target: ReadOnlyTarget,
  candidate: SbomCandidate,
  layer: Descriptor,
  options: ReadCandidateOptions,
): Promise<LayerResult> {
  // Layers that say they are something else are passed over quietly: a BuildKit attestation
  // manifest holds provenance next to the SBOM, a cosign .att tag every attestation.
  if (namesOtherPredicate(layer.annotations)) return { ok: false, foreign: true };
  if (!isJsonLayer(layer)) return { ok: false };
  const where = `layer ${layer.digest} of ${candidate.manifest.digest}`;
  let unwrapped: ReturnType<typeof unwrapSbom>;
  try {
    const bytes = await readBlobBytes(target, layer, { ...options, what: 'SBOM', code: 'SCAN_SBOM_INVALID' });
    unwrapped = unwrapSbom(parseJsonBytes(bytes, where));
  } catch (error) {
    return { ok: false, reason: reasonOf(error) };
  }
  if (!unwrapped.ok) {
    return unwrapped.foreign ? { ok: false, foreign: true } : { ok: false, reason: unwrapped.reason };
  }
  if (unwrapped.subjects !== undefined && !unwrapped.subjects.includes(candidate.subject.digest)) {
    const about = unwrapped.subjects.length > 0 ? unwrapped.subjects.join(', ') : 'no subject';
    return { ok: false, reason: `the in-toto statement is about ${about}, not ${candidate.subject.digest}` };
  }
  let sbom: ParsedSbom;
  try {
    sbom = readSbom(unwrapped.document, { source: `SBOM in ${where}` });
  } catch (error) {
    return { ok: false, reason: reasonOf(error) };
  }
  const origin: SbomOrigin = {
    via: candidate.via,
    attachedTo: candidate.attachedTo,
    subject: candidate.subject.digest,
    manifest: candidate.manifest,
    layer,
    envelope: unwrapped.envelope,
  };
  if (unwrapped.predicateType) origin.predicateType = unwrapped.predicateType;
  if (candidate.tag) origin.tag = candidate.tag;
  return { ok: true, sbom, origin };
}

/** Content problems become skip reasons; anything else (network, cancellation, bugs) is rethrown. */
function reasonOf(error: unknown): string {
  if (isAbortError(error)) throw error;
  if (isAppError(error) && SKIPPABLE.has(error.code)) return error.message;
  throw error;
}

const SKIPPABLE = new Set<string>([
  'SCAN_SBOM_INVALID',
  'SCAN_SBOM_UNSUPPORTED',
  'OCI_MANIFEST_UNKNOWN',
  'OCI_BLOB_UNKNOWN',
  'OCI_MANIFEST_INVALID',
  'OCI_MEDIA_TYPE_UNSUPPORTED',
  'OCI_MANIFEST_TOO_LARGE',
]);
