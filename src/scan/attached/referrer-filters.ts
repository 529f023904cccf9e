import type { Descriptor } from '../../oci/manifest/index.js';
import { normalizeMediaType } from '../../oci/mediatype/index.js';

/**
 * What can be told about an attached artifact from its descriptor alone (the referrers list
 * carries each manifest's artifact type and annotations), so that SBOM and VEX discovery
 * fetch only what may hold what they look for.
 */

/** Annotations that name a predicate type without fetching the content. */
export const PREDICATE_TYPE_ANNOTATIONS = [
  'in-toto.io/predicate-type',
  'dev.sigstore.bundle.predicateType',
  'predicateType',
];

/** The predicate type the annotations name, if any. */
export function annotatedPredicateType(annotations: Record<string, string> | undefined): string | undefined {
  return PREDICATE_TYPE_ANNOTATIONS.map((key) => annotations?.[key]).find((v) => v !== undefined);
}

/** Attestation artifact types: an in-toto statement, or a DSSE envelope around one. */
export const AttestationArtifactType = {
  InToto: 'application/vnd.in-toto+json',
  Dsse: 'application/vnd.dsse.envelope.v1+json',
} as const;

// Sigstore bundles: application/vnd.dev.sigstore.bundle.v0.3+json, and …bundle+json;version=0.x.
const SIGSTORE_BUNDLE = /^application\/vnd\.dev\.sigstore\.bundle(\.v[\d.]+)?\+json$/;

/** Whether an artifact type is one that wraps in-toto statements (plain, DSSE, Sigstore bundle). */
export function isAttestationArtifactType(artifactType: string | undefined): boolean {
  const type = normalizeMediaType(artifactType);
  return (
    type === AttestationArtifactType.InToto ||
    type === AttestationArtifactType.Dsse ||
    (type !== undefined && SIGSTORE_BUNDLE.test(type))
  );
}

/** cosign 2.4+ marks bundle referrers as `dsse-envelope` (attestations) or `message-signature`. */
export function isMessageSignature(descriptor: Descriptor): boolean {
  return descriptor.annotations?.['dev.sigstore.bundle.content'] === 'message-signature';
}

// Layer media types that can hold a JSON document: JSON, or DSSE/in-toto ("+json", "+dsse").
// Others (tar layers, binaries) are not fetched.
const JSONISH_MEDIA_TYPE = /(json|dsse|in-toto|spdx|cyclonedx)/;

export function isJsonLayer(layer: Descriptor): boolean {
  return JSONISH_MEDIA_TYPE.test(normalizeMediaType(layer.mediaType) ?? '');
}

/** Newest first (by `org.opencontainers.image.created`), then by digest for a stable order. */
export function newestFirst(a: Descriptor, b: Descriptor): number {
  const created = (d: Descriptor) => d.annotations?.['org.opencontainers.image.created'] ?? '';
  const [x, y] = [created(a), created(b)];
  if (x !== y) return x > y ? -1 : 1;
  return a.digest < b.digest ? -1 : a.digest > b.digest ? 1 : 0;
}
