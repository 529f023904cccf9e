import { parseDigest } from '../../kernel/index.js';

/**
 * The tag of the referrers tag-schema fallback (distribution-spec v1.1 "Referrers Tag
 * Schema"): `<alg>-<encoded>`, the encoded part truncated to 64 characters.
 */
export function referrersFallbackTag(subjectDigest: string): string {
  const { algorithm, encoded } = parseDigest(subjectDigest);
  return `${algorithm}-${encoded.slice(0, 64)}`;
}

/** cosign's tag-based attachments of an image: signatures, attestations and SBOMs. */
export const COSIGN_SUFFIXES = ['sig', 'att', 'sbom'] as const;
export type CosignSuffix = (typeof COSIGN_SUFFIXES)[number];

/** `sha256-<hex>.sig` etc.: where cosign stores attachments of `subjectDigest` as tags. */
export function cosignTags(subjectDigest: string): { suffix: CosignSuffix; tag: string }[] {
  const { algorithm, encoded } = parseDigest(subjectDigest);
  return COSIGN_SUFFIXES.map((suffix) => ({ suffix, tag: `${algorithm}-${encoded}.${suffix}` }));
}

/** Tags that hold attachments of other images (fallback indexes, cosign), not images. */
export function isAttachmentTag(tag: string): boolean {
  return /^(sha256|sha512)-[0-9a-f]{64,128}(\.(sig|att|sbom))?$/.test(tag);
}
