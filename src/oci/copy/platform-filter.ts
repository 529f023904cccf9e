import { AppError } from '../../kernel/index.js';
import type { BlobFetcher } from '../content/index.js';
import {
  type Descriptor,
  type Manifest,
  type Platform,
  encodeManifest,
  formatPlatform,
  platformMatches,
} from '../manifest/index.js';

/**
 * Narrows an index to the wanted platforms. When every entry is kept the original manifest
 * (and digest) is returned untouched; otherwise a new index with the same media type,
 * annotations and entry order — necessarily with a new digest.
 */
export function filterIndex(
  manifest: Manifest & { kind: 'index' },
  wanted: Platform[],
  source: string,
): { manifest: Manifest; filtered: boolean } {
  const entries = manifest.index.manifests;
  const matched = new Set(
    entries.filter((e) => wanted.some((w) => platformMatches(w, e.platform))).map((e) => e.digest),
  );
  if (matched.size === 0) {
    const available = entries.map((e) => (e.platform ? formatPlatform(e.platform) : 'unknown')).join(', ');
    throw new AppError(
      'OCI_PLATFORM_NOT_FOUND',
      `${source} has no manifest for ${wanted.map(formatPlatform).join(', ')}; it offers: ${available || 'nothing'}`,
    );
  }
  const kept = entries.filter((e) => matched.has(e.digest) || isAttestationFor(e, matched));
  if (kept.length === entries.length) return { manifest, filtered: false };
  return { manifest: encodeManifest({ ...manifest.index, manifests: kept }), filtered: true };
}

/**
 * Attestation manifests that BuildKit stores inside the index (`unknown/unknown` platform,
 * `vnd.docker.reference.type: attestation-manifest`) follow the platform they describe.
 */
function isAttestationFor(entry: Descriptor, kept: Set<string>): boolean {
  const described = entry.annotations?.['vnd.docker.reference.digest'];
  return (
    entry.annotations?.['vnd.docker.reference.type'] === 'attestation-manifest' &&
    described !== undefined &&
    kept.has(described)
  );
}

/** For a single-platform image: checks the config's os/architecture against the wanted platforms. */
export async function checkImagePlatform(
  source: BlobFetcher,
  manifest: Manifest & { kind: 'image' },
  wanted: Platform[],
  name: string,
  signal?: AbortSignal,
): Promise<void> {
  const stream = await source.fetchBlob(manifest.image.config, { signal });
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk as Uint8Array));
  let config: Partial<Platform>;
  try {
    config = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Partial<Platform>;
  } catch {
    return; // Artifacts have configs that are not image configs: nothing to filter on.
  }
  if (typeof config.os !== 'string' || typeof config.architecture !== 'string') return;
  const platform: Platform = {
    os: config.os,
    architecture: config.architecture,
    ...(config.variant ? { variant: config.variant } : {}),
  };
  if (!wanted.some((w) => platformMatches(w, platform))) {
    throw new AppError(
      'OCI_PLATFORM_NOT_FOUND',
      `${name} is a single-platform image for ${formatPlatform(platform)}, not ${wanted.map(formatPlatform).join(', ')}`,
    );
  }
}
