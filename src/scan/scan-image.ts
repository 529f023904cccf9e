import type { ReadOnlyTarget } from '../oci/content/index.js';
import type { Descriptor } from '../oci/manifest/index.js';
import {
  type ImageInventory,
  type InventoryImageOptions,
  inventoryImage,
} from './inventory/inventory-image.js';
import type { Inventory, ScanNotice } from './inventory/types.js';
import {
  type AdvisoryReader,
  type Finding,
  type MatchStats,
  SEVERITY_RATINGS,
  type SeverityRating,
  type VexDocument,
  applyVex,
  discoverAttachedVex,
  matchPackages,
} from './vulndb/index.js';

export interface ScanImageOptions extends InventoryImageOptions {
  advisories: AdvisoryReader;
  /** OpenVEX documents whose statements apply to the findings. */
  vex?: readonly VexDocument[];
  /**
   * Also apply OpenVEX documents attached to the image as referrers of the index or of the
   * platform manifest. Default true.
   */
  attachedVex?: boolean;
  /** The clock, for `scannedAt`. */
  now?: () => Date;
}

export interface PlatformScan {
  inventory: Inventory;
  findings: Finding[];
  notices: ScanNotice[];
  stats: MatchStats;
}

export type SeverityCounts = Record<SeverityRating, number>;

export interface ImageScan extends Omit<ImageInventory, 'platforms'> {
  scannedAt: string;
  platforms: PlatformScan[];
  /** Findings not suppressed by VEX, counted by severity across platforms (one per id and package). */
  summary: SeverityCounts;
}

/**
 * Scans an image: inventories every platform, then matches the packages against the
 * vulnerability database, merges aliases and applies VEX. Pure apart from the content store
 * and the advisory reader it is given.
 */
export async function scanImage(
  target: ReadOnlyTarget,
  reference: string,
  options: ScanImageOptions,
): Promise<ImageScan> {
  const inventory = await inventoryImage(target, reference, options);
  const attached = options.attachedVex ?? true;
  const rootVex = attached ? await attachedVexOf(target, inventory.digest, options.signal) : NO_VEX;
  const platforms: PlatformScan[] = [];
  for (const platform of inventory.platforms) {
    const matched = await matchPackages(platform.packages, platform.os, options.advisories, {
      signal: options.signal,
    });
    const platformVex =
      attached && platform.manifestDigest !== inventory.digest
        ? await attachedVexOf(target, platform.manifestDigest, options.signal)
        : NO_VEX;
    const vex = [...(options.vex ?? []), ...rootVex.documents, ...platformVex.documents];
    const findings = vex.length
      ? applyVex(matched.findings, vex, { imageDigests: [inventory.digest, platform.manifestDigest] })
      : matched.findings;
    platforms.push({
      inventory: platform,
      findings,
      notices: [...matched.notices, ...rootVex.notices, ...platformVex.notices],
      stats: matched.stats,
    });
  }
  return {
    reference: inventory.reference,
    digest: inventory.digest,
    mediaType: inventory.mediaType,
    scannedAt: (options.now?.() ?? new Date()).toISOString(),
    platforms,
    summary: countBySeverity(platforms),
  };
}

const NO_VEX = { documents: [], notices: [] };

/** OpenVEX attached to the manifest with this digest (resolved first: referrers are listed by descriptor). */
async function attachedVexOf(target: ReadOnlyTarget, digest: string, signal: AbortSignal | undefined) {
  const subject: Descriptor = await target.resolve(digest, { signal });
  return discoverAttachedVex(target, subject, { signal });
}

export function countBySeverity(platforms: readonly { findings: readonly Finding[] }[]): SeverityCounts {
  const counts = Object.fromEntries(SEVERITY_RATINGS.map((r) => [r, 0])) as SeverityCounts;
  const seen = new Set<string>();
  for (const platform of platforms) {
    for (const finding of platform.findings) {
      const key = `${finding.id}|${finding.package.purl ?? `${finding.package.name}@${finding.package.version}`}`;
      if (finding.suppressed || seen.has(key)) continue;
      seen.add(key);
      counts[finding.severity.rating]++;
    }
  }
  return counts;
}
