import { isAbortError, isAppError, throwIfAborted } from '../../kernel/index.js';
import type { ReadOnlyTarget } from '../../oci/content/index.js';
import type { Descriptor } from '../../oci/manifest/index.js';
import { normalizeMediaType } from '../../oci/mediatype/index.js';
import { readBlobBytes } from '../attached/blob-bytes.js';
import { unwrapStatement } from '../attached/in-toto.js';
import {
  annotatedPredicateType,
  isAttestationArtifactType,
  isJsonLayer,
  isMessageSignature,
  newestFirst,
} from '../attached/referrer-filters.js';
import type { ScanNotice } from '../inventory/types.js';
import { OPENVEX_CONTEXT, type VexDocument, isOpenVex, readOpenVex } from './vex.js';

/** OpenVEX documents pushed as artifacts (`oras attach --artifact-type application/vnd.openvex+json`, vexctl). */
export const OPENVEX_ARTIFACT_TYPE = 'application/vnd.openvex+json';

/** Notice codes of VEX discovery. */
export const VexNotice = {
  /** An attached artifact that looked like VEX could not be read or applied. */
  Skipped: 'SCAN_VEX_SKIPPED',
  /** The referrers of a manifest could not be listed: attached VEX was not applied. */
  ReferrersUnavailable: 'SCAN_VEX_REFERRERS_UNAVAILABLE',
} as const;

/** VEX documents are a few KiB; 16 MiB holds the largest vendor feeds and bounds a hostile one. */
export const DEFAULT_MAX_VEX_BYTES = 16 * 1024 * 1024;
/** Referrers examined per subject: VEX documents are few; thousands are an attack or an accident. */
const MAX_CANDIDATES_PER_SUBJECT = 32;

export interface DiscoverVexOptions {
  maxBytes?: number;
  signal?: AbortSignal;
}

export interface AttachedVex {
  documents: VexDocument[];
  /** Candidates that could not be read, statements skipped as invalid. */
  notices: ScanNotice[];
}

/** `https://openvex.dev/ns`, with or without a version (`/v0.2.0`), as vexctl and cosign write it. */
export function isVexPredicateType(predicateType: string): boolean {
  return predicateType === OPENVEX_CONTEXT || predicateType.startsWith(`${OPENVEX_CONTEXT}/`);
}

/**
 * The OpenVEX documents attached to `subject` as referrers: artifacts of type
 * `application/vnd.openvex+json`, and in-toto statements (plain, DSSE, Sigstore bundle) whose
 * predicate type is OpenVEX's. A statement about another digest is not applied. Signatures
 * are not verified: whoever may push referrers to the repository can state VEX, which is why
 * every finding a document suppresses names the document and the referrer it came from.
 */
export async function discoverAttachedVex(
  target: ReadOnlyTarget,
  subject: Descriptor,
  options: DiscoverVexOptions = {},
): Promise<AttachedVex> {
  const out: AttachedVex = { documents: [], notices: [] };
  let referrers: Descriptor[];
  try {
    referrers = await target.listReferrers(subject, { signal: options.signal });
  } catch (error) {
    if (isAbortError(error) || !isAppError(error)) throw error;
    // Without the listing the scan is stricter, never laxer: nothing is suppressed.
    out.notices.push({
      level: 'warning',
      code: VexNotice.ReferrersUnavailable,
      message: `attached VEX not applied: the referrers of ${subject.digest} could not be listed: ${error.message}`,
    });
    return out;
  }
  const candidates = referrers.filter(isVexCandidate).sort(newestFirst).slice(0, MAX_CANDIDATES_PER_SUBJECT);
  for (const candidate of candidates) {
    throwIfAborted(options.signal);
    await readCandidate(target, subject, candidate, options, out);
  }
  return out;
}

function isVexCandidate(descriptor: Descriptor): boolean {
  if (normalizeMediaType(descriptor.artifactType) === OPENVEX_ARTIFACT_TYPE) return true;
  if (!isAttestationArtifactType(descriptor.artifactType) || isMessageSignature(descriptor)) return false;
  const named = annotatedPredicateType(descriptor.annotations);
  return named === undefined || isVexPredicateType(named);
}

async function readCandidate(
  target: ReadOnlyTarget,
  subject: Descriptor,
  candidate: Descriptor,
  options: DiscoverVexOptions,
  out: AttachedVex,
): Promise<void> {
  const source = `referrer ${candidate.digest}`;
  const skip = (reason: string) =>
    out.notices.push({
      level: 'warning',
      code: VexNotice.Skipped,
      message: `attached VEX ${source} of ${subject.digest} skipped: ${reason}`,
    });
  let layers: Descriptor[];
  try {
    const manifest = await target.fetchManifest(candidate, { signal: options.signal });
    if (manifest.kind !== 'image') return void skip('an index, not an artifact manifest');
    layers = manifest.image.layers;
  } catch (error) {
    return void skip(reasonOf(error));
  }
  for (const layer of layers) {
    const named = annotatedPredicateType(layer.annotations);
    if (!isJsonLayer(layer) || (named !== undefined && !isVexPredicateType(named))) continue;
    try {
      const document = await readLayer(target, subject, layer, source, options);
      if (typeof document === 'string') skip(document);
      else if (document) {
        out.documents.push(document.document);
        for (const problem of document.problems) skip(problem);
      }
    } catch (error) {
      skip(reasonOf(error));
    }
  }
}

/** The layer's OpenVEX document; a string says why it is unusable; undefined: not VEX at all. */
async function readLayer(
  target: ReadOnlyTarget,
  subject: Descriptor,
  layer: Descriptor,
  source: string,
  options: DiscoverVexOptions,
): Promise<ReturnType<typeof readOpenVex> | string | undefined> {
  const bytes = await readBlobBytes(target, layer, {
    maxBytes: options.maxBytes ?? DEFAULT_MAX_VEX_BYTES,
    what: 'VEX document',
    code: 'SCAN_VEX_INVALID',
    signal: options.signal,
  });
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch (error) {
    return `layer ${layer.digest} is not UTF-8 JSON: ${(error as Error).message}`;
  }
  if (isOpenVex(value)) return readOpenVex(value, source);
  const unwrapped = unwrapStatement(value);
  if (unwrapped === undefined) return `layer ${layer.digest} is neither OpenVEX nor an in-toto statement`;
  if (!unwrapped.ok) return unwrapped.foreign ? undefined : unwrapped.reason;
  if (!isVexPredicateType(unwrapped.predicateType)) return undefined;
  if (!unwrapped.subjects.includes(subject.digest)) {
    const about = unwrapped.subjects.length > 0 ? unwrapped.subjects.join(', ') : 'no subject';
    return `the in-toto statement is about ${about}, not ${subject.digest}`;
  }
  return readOpenVex(unwrapped.predicate, source);
}

/** Content problems become skip reasons; anything else (network, cancellation, bugs) is rethrown. */
function reasonOf(error: unknown): string {
  if (isAbortError(error)) throw error;
  if (isAppError(error) && SKIPPABLE.has(error.code)) return error.message;
  throw error;
}

const SKIPPABLE = new Set<string>([
  'SCAN_VEX_INVALID',
  'OCI_MANIFEST_UNKNOWN',
  'OCI_BLOB_UNKNOWN',
  'OCI_MANIFEST_INVALID',
  'OCI_MEDIA_TYPE_UNSUPPORTED',
  'OCI_MANIFEST_TOO_LARGE',
  'OCI_DIGEST_MISMATCH',
]);
