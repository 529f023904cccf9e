import { AppError, OciError, throwIfAborted } from '../../kernel/index.js';
import type { ReadOnlyTarget } from '../../oci/content/index.js';
import {
  type Descriptor,
  type Manifest,
  type Platform,
  formatPlatform,
  platformMatches,
} from '../../oci/manifest/index.js';
import { defaultDetectors } from '../detectors/default-detectors.js';
import { detectOs } from '../detectors/os/index.js';
import type { Detector } from '../detectors/types.js';
import { type LayerLimits, layersOf, readFilesystem } from '../layers/index.js';
import { discoverSbom, inventoryFromSbom } from '../sbom/index.js';
import type { Inventory, Package, ScanNotice } from './types.js';

/**
 * Where a platform's inventory comes from. `layers`: read the layers. `attached`: use the SBOM
 * the publisher attached (distroless and hardened images), and say so when there is none.
 * `auto`: read the layers, and fall back to an attached SBOM when they reveal no package.
 */
export type InventorySource = 'auto' | 'layers' | 'attached';

export interface InventoryImageOptions {
  source?: InventorySource;
  /** Only these platforms of a multi-platform image; every one when absent. */
  platforms?: Platform[];
  /** Inventory one platform only: this one when the image offers it, else the first (used when `platforms` is absent). */
  preferredPlatform?: Platform;
  detectors?: Detector[];
  limits?: Partial<LayerLimits>;
  signal?: AbortSignal;
}

export interface ImageInventory {
  /** The image as named (`docker.io/library/python:3.12`). */
  reference: string;
  /** Digest of what the reference resolved to (the index for multi-platform images). */
  digest: string;
  mediaType: string;
  /** One inventory per platform manifest, keyed by its digest. */
  platforms: Inventory[];
}

/**
 * What is inside an image, per platform: the operating system and installed packages, read
 * from the layers by the detectors (streaming, nothing written to disk) or taken from an
 * attached SBOM.
 */
export async function inventoryImage(
  target: ReadOnlyTarget,
  reference: string,
  options: InventoryImageOptions = {},
): Promise<ImageInventory> {
  const { signal } = options;
  const root = await target.fetchManifest(reference, { signal });
  let entries = platformManifests(root, options.platforms, reference);
  if (!options.platforms?.length && options.preferredPlatform && entries.length > 1) {
    entries = [entries.find((d) => platformMatches(options.preferredPlatform!, d.platform)) ?? entries[0]!];
  }
  const platforms: Inventory[] = [];
  for (const entry of entries) {
    throwIfAborted(signal);
    platforms.push(await inventoryPlatform(target, entry, root, options));
  }
  return { reference, digest: root.descriptor.digest, mediaType: root.descriptor.mediaType, platforms };
}

/** The image manifests to inventory: the root itself, or the index entries for real platforms. */
function platformManifests(root: Manifest, wanted: Platform[] | undefined, reference: string): Descriptor[] {
  if (root.kind === 'image') return [root.descriptor];
  // BuildKit attestation manifests sit in the index as `unknown/unknown`: they are not platforms.
  const images = root.index.manifests.filter(
    (d) =>
      d.platform?.os !== 'unknown' && d.annotations?.['vnd.docker.reference.type'] !== 'attestation-manifest',
  );
  const selected = wanted?.length
    ? images.filter((d) => wanted.some((w) => platformMatches(w, d.platform)))
    : images;
  if (selected.length === 0) {
    const offered = images.map((d) => (d.platform ? formatPlatform(d.platform) : 'unknown')).join(', ');
    throw new AppError(
      'OCI_PLATFORM_NOT_FOUND',
      `${reference} has no manifest for ${wanted?.map(formatPlatform).join(', ')}; it offers: ${offered || 'nothing'}`,
    );
  }
  return selected;
}

async function inventoryPlatform(
  target: ReadOnlyTarget,
  entry: Descriptor,
  root: Manifest,
  options: InventoryImageOptions,
): Promise<Inventory> {
  const mode = options.source ?? 'auto';
  const platform = entry.platform
    ? {
        os: entry.platform.os,
        architecture: entry.platform.architecture,
        ...(entry.platform.variant ? { variant: entry.platform.variant } : {}),
      }
    : undefined;
  if (mode === 'attached') return fromAttachedSbom(target, entry, root, platform, options.signal, true);
  const fromLayers = await fromImageLayers(target, entry, platform, options);
  if (mode === 'auto' && fromLayers.packages.length === 0) {
    const attached = await fromAttachedSbom(target, entry, root, platform, options.signal, false);
    if (attached.packages.length > 0)
      return { ...attached, notices: [...fromLayers.notices, ...attached.notices] };
  }
  return fromLayers;
}

async function fromImageLayers(
  target: ReadOnlyTarget,
  entry: Descriptor,
  platform: Inventory['platform'],
  options: InventoryImageOptions,
): Promise<Inventory> {
  const manifest = await target.fetchManifest(entry, { signal: options.signal });
  if (manifest.kind !== 'image') {
    throw new OciError(
      'OCI_MANIFEST_INVALID',
      `platform manifest ${entry.digest} is an index, not an image`,
      { digest: entry.digest },
    );
  }
  const detectors = options.detectors ?? defaultDetectors();
  const fs = await readFilesystem(layersOf(target, manifest.image), detectors, {
    signal: options.signal,
    limits: options.limits,
  });
  const os = detectOs(fs);
  const packages: Package[] = [];
  const notices: ScanNotice[] = [...fs.notices];
  const resolvedPlatform = platform ?? (await platformFromConfig(target, manifest, options.signal));
  for (const detector of detectors) {
    const result = await detector.detect({ fs, os, architecture: resolvedPlatform?.architecture });
    packages.push(...result.packages);
    notices.push(...(result.notices ?? []));
  }
  return {
    manifestDigest: entry.digest,
    ...(resolvedPlatform ? { platform: resolvedPlatform } : {}),
    ...(os ? { os } : {}),
    packages,
    notices,
    source: 'layers',
  };
}

async function fromAttachedSbom(
  target: ReadOnlyTarget,
  entry: Descriptor,
  root: Manifest,
  platform: Inventory['platform'],
  signal: AbortSignal | undefined,
  required: boolean,
): Promise<Inventory> {
  const found = await discoverSbom(target, {
    manifest: entry,
    ...(root.kind === 'index' ? { index: root } : {}),
    signal,
  });
  if (!found.found) {
    const notice: ScanNotice = {
      level: required ? 'warning' : 'info',
      code: 'SCAN_SBOM_NOT_FOUND',
      message: found.message,
    };
    return {
      manifestDigest: entry.digest,
      ...(platform ? { platform } : {}),
      packages: [],
      notices: [notice],
      source: 'sbom',
    };
  }
  return inventoryFromSbom(found.sbom, {
    manifestDigest: entry.digest,
    ...(platform ? { platform } : {}),
    origin: found.origin,
  });
}

/** Image configs carry the platform of single-platform images (image-spec v1.1 config.md). */
async function platformFromConfig(
  target: ReadOnlyTarget,
  manifest: Manifest & { kind: 'image' },
  signal?: AbortSignal,
): Promise<Inventory['platform']> {
  const config = manifest.image.config;
  if (config.size > 4 * 1024 * 1024 || !config.mediaType.includes('config')) return undefined;
  const chunks: Buffer[] = [];
  for await (const chunk of await target.fetchBlob(config, { signal }))
    chunks.push(Buffer.from(chunk as Uint8Array));
  try {
    const parsed = JSON.parse(Buffer.concat(chunks).toString('utf8')) as {
      os?: unknown;
      architecture?: unknown;
      variant?: unknown;
    };
    if (typeof parsed.os !== 'string' || typeof parsed.architecture !== 'string') return undefined;
    return {
      os: parsed.os,
      architecture: parsed.architecture,
      ...(typeof parsed.variant === 'string' ? { variant: parsed.variant } : {}),
    };
  } catch {
    return undefined;
  }
}
