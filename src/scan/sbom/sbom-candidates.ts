import { isAppError } from '../../kernel/index.js';
import type { ReadOnlyTarget } from '../../oci/content/index.js';
import type { Descriptor, ImageIndex } from '../../oci/manifest/index.js';
import { normalizeMediaType } from '../../oci/mediatype/index.js';
import { cosignTags } from '../../oci/ref/index.js';
import {
  annotatedPredicateType,
  isAttestationArtifactType,
  isMessageSignature,
  newestFirst,
} from '../attached/referrer-filters.js';
import { isSbomPredicateType } from './attestation.js';

/** How an SBOM is attached to an image. */
export type SbomAttachment = 'referrer' | 'attestation-manifest' | 'cosign-tag';

/** A manifest that may hold an SBOM of `subject`. */
export interface SbomCandidate {
  via: SbomAttachment;
  attachedTo: 'platform' | 'index';
  subject: Descriptor;
  manifest: Descriptor;
  /** The cosign tag the manifest was found under. */
  tag?: string;
}

/** Referrer artifact types that are, or may wrap, an SBOM. */
export const SbomArtifactType = {
  CycloneDx: 'application/vnd.cyclonedx+json',
  Spdx: 'application/spdx+json',
  InToto: 'application/vnd.in-toto+json',
  Dsse: 'application/vnd.dsse.envelope.v1+json',
} as const;

const SBOM_ARTIFACT_TYPES = new Set<string>(Object.values(SbomArtifactType));
/** BuildKit's index annotations of attestation manifests (docker buildx docs, "Attestation storage"). */
export const REFERENCE_TYPE_ANNOTATION = 'vnd.docker.reference.type';
export const REFERENCE_DIGEST_ANNOTATION = 'vnd.docker.reference.digest';

/**
 * The subject's referrers whose artifact type can carry an SBOM, newest first (by
 * `org.opencontainers.image.created`), then by digest for a stable order. Attestations whose
 * annotations name a predicate type that is not an SBOM (provenance, VEX, signatures) are left out.
 */
export async function referrerCandidates(
  target: ReadOnlyTarget,
  subject: Descriptor,
  attachedTo: SbomCandidate['attachedTo'],
  signal?: AbortSignal,
): Promise<SbomCandidate[]> {
  const referrers = await target.listReferrers(subject, { signal });
  return referrers
    .filter(
      (d) =>
        isSbomArtifactType(d.artifactType) && !namesOtherPredicate(d.annotations) && !isMessageSignature(d),
    )
    .sort(newestFirst)
    .map((manifest) => ({ via: 'referrer', attachedTo, subject, manifest }));
}

/** Index entries BuildKit adds for `platformDigest`: `vnd.docker.reference.type: attestation-manifest`. */
export function attestationManifestCandidates(index: ImageIndex, platform: Descriptor): SbomCandidate[] {
  return index.manifests
    .filter(
      (entry) =>
        entry.annotations?.[REFERENCE_TYPE_ANNOTATION] === 'attestation-manifest' &&
        entry.annotations[REFERENCE_DIGEST_ANNOTATION] === platform.digest,
    )
    .map((manifest) => ({
      via: 'attestation-manifest',
      attachedTo: 'platform',
      subject: platform,
      manifest,
    }));
}

/** cosign's tag-based attachments: attestations (`sha256-<hex>.att`), then SBOMs (`.sbom`). */
export async function cosignTagCandidates(
  target: ReadOnlyTarget,
  subject: Descriptor,
  attachedTo: SbomCandidate['attachedTo'],
  signal?: AbortSignal,
): Promise<SbomCandidate[]> {
  const candidates: SbomCandidate[] = [];
  for (const { suffix, tag } of cosignTags(subject.digest)) {
    if (suffix === 'sig') continue;
    const manifest = await resolveIfPresent(target, tag, signal);
    if (manifest) candidates.push({ via: 'cosign-tag', attachedTo, subject, manifest, tag });
  }
  return candidates;
}

/** Whether annotations name a predicate type, and it is not an SBOM's. */
export function namesOtherPredicate(annotations: Record<string, string> | undefined): boolean {
  const named = annotatedPredicateType(annotations);
  return named !== undefined && !isSbomPredicateType(named);
}

function isSbomArtifactType(artifactType: string | undefined): boolean {
  const type = normalizeMediaType(artifactType);
  return type !== undefined && (SBOM_ARTIFACT_TYPES.has(type) || isAttestationArtifactType(type));
}

async function resolveIfPresent(
  target: ReadOnlyTarget,
  tag: string,
  signal?: AbortSignal,
): Promise<Descriptor | undefined> {
  try {
    return await target.resolve(tag, { signal });
  } catch (error) {
    if (isAppError(error) && (error.code === 'OCI_MANIFEST_UNKNOWN' || error.code === 'OCI_NAME_UNKNOWN')) {
      return undefined;
    }
    throw error;
  }
}
