import { AppError, throwIfAborted, type Digest } from '../../kernel/index.js';
import type { ReadOnlyTarget } from '../../oci/content/index.js';
import { formatPlatform, type Descriptor, type ImageIndex, type Manifest } from '../../oci/manifest/index.js';
import {
  attestationManifestCandidates,
  cosignTagCandidates,
  referrerCandidates,
  type SbomCandidate,
} from './sbom-candidates.js';
import { readCandidate, type SbomOrigin, type SkippedSbomCandidate } from './sbom-candidate-reader.js';
import type { ScanNotice } from '../inventory/types.js';
import { SbomNotice } from './notice-codes.js';
import type { ParsedSbom } from './types.js';

export interface DiscoverSbomOptions {
  /** The platform's image manifest (as listed in the index, so that it carries its platform). */
  manifest: Descriptor;
  /** The index the platform manifest was chosen from, when the image is multi-platform. */
  index?: Descriptor | Manifest;
  /** Largest SBOM document read, in bytes; default 64 MiB. */
  maxSbomBytes?: number;
  /** Also look at cosign's tag-based attachments (`sha256-<hex>.att`, `.sbom`); default true. */
  cosignTags?: boolean;
  signal?: AbortSignal;
}

export type SbomDiscovery =
  | { found: true; sbom: ParsedSbom; origin: SbomOrigin; skipped: SkippedSbomCandidate[] }
  | {
      found: false;
      platform: string;
      manifestDigest: Digest;
      message: string;
      skipped: SkippedSbomCandidate[];
    };

/**
 * SBOMs of large images run to tens of megabytes (one entry per file for some tools); 64 MiB
 * holds those and still bounds what a hostile artifact can make us parse.
 */
export const DEFAULT_MAX_SBOM_BYTES = 64 * 1024 * 1024;
/** Candidates examined per subject: SBOM referrers are few; thousands are an attack or an accident. */
const MAX_CANDIDATES_PER_SUBJECT = 32;

type CandidateSource = () => Promise<SbomCandidate[]>;

/**
 * Finds the SBOM attached to one platform of an image, in order of preference: the platform
 * manifest's referrers, BuildKit attestation manifests for it in the index, cosign tags of the
 * platform manifest, then the same attached to the index (an SBOM of the whole index may list
 * other platforms' packages; the result says so). The first document that reads wins; the
 * result records where it came from, or says plainly that the platform has none.
 */
export async function discoverSbom(
  target: ReadOnlyTarget,
  options: DiscoverSbomOptions,
): Promise<SbomDiscovery> {
  const { manifest, signal } = options;
  const index = options.index === undefined ? undefined : await indexOf(target, options.index, signal);
  const useTags = options.cosignTags ?? true;
  const sources: CandidateSource[] = [
    () => referrerCandidates(target, manifest, 'platform', signal),
    async () => (index ? attestationManifestCandidates(index.index, manifest) : []),
    async () => (useTags ? cosignTagCandidates(target, manifest, 'platform', signal) : []),
  ];
  if (index) {
    sources.push(() => referrerCandidates(target, index.descriptor, 'index', signal));
    if (useTags) sources.push(() => cosignTagCandidates(target, index.descriptor, 'index', signal));
  }
  const skipped: SkippedSbomCandidate[] = [];
  const maxBytes = options.maxSbomBytes ?? DEFAULT_MAX_SBOM_BYTES;
  for (const source of sources) {
    throwIfAborted(signal);
    for (const candidate of (await source()).slice(0, MAX_CANDIDATES_PER_SUBJECT)) {
      const result = await readCandidate(target, candidate, { maxBytes, signal });
      if (!result.ok) {
        skipped.push(...result.skipped);
        continue;
      }
      if (candidate.attachedTo === 'index')
        result.sbom.notices.push(indexNotice(candidate, platformOf(manifest, index?.index)));
      return { found: true, sbom: result.sbom, origin: result.origin, skipped };
    }
  }
  return notFound(manifest, platformOf(manifest, index?.index), skipped);
}

async function indexOf(
  target: ReadOnlyTarget,
  index: Descriptor | Manifest,
  signal: AbortSignal | undefined,
): Promise<{ descriptor: Descriptor; index: ImageIndex }> {
  const manifest = 'kind' in index ? index : await target.fetchManifest(index, { signal });
  if (manifest.kind !== 'index') {
    throw new AppError(
      'USAGE_INVALID',
      `SBOM discovery: ${manifest.descriptor.digest} was given as the index but is an image manifest`,
    );
  }
  return { descriptor: manifest.descriptor, index: manifest.index };
}

function notFound(manifest: Descriptor, platform: string, skipped: SkippedSbomCandidate[]): SbomDiscovery {
  const tried =
    skipped.length === 0
      ? 'no SBOM is attached'
      : `${skipped.length} attached candidate(s) held no usable SBOM`;
  return {
    found: false,
    platform,
    manifestDigest: manifest.digest,
    message: `no SBOM for platform ${platform} (${manifest.digest}): ${tried}`,
    skipped,
  };
}

/** `os/arch[/variant]` from the descriptor or its index entry; the digest when neither says. */
function platformOf(manifest: Descriptor, index: ImageIndex | undefined): string {
  const platform =
    manifest.platform ?? index?.manifests.find((entry) => entry.digest === manifest.digest)?.platform;
  return platform ? formatPlatform(platform) : manifest.digest;
}

function indexNotice(candidate: SbomCandidate, platform: string): ScanNotice {
  return {
    level: 'info',
    code: SbomNotice.FromIndex,
    message: `the SBOM is attached to the index ${candidate.subject.digest}, not to platform ${platform}; it may list packages of other platforms`,
  };
}
