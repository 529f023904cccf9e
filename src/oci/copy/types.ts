import type { Descriptor, Platform } from '../manifest/index.js';

export interface CopyOptions {
  /** Copy only these platforms; a filtered index is then written (with a new digest). All platforms when absent. */
  platforms?: Platform[];
  /** Also copy referrers (signatures, SBOMs, attestations), recursively, and cosign's `.sig`/`.att`/`.sbom` tags. */
  referrers?: boolean;
  /** Transfer even what the destination already has. */
  force?: boolean;
  /** Report what would move without writing anything. */
  dryRun?: boolean;
  signal?: AbortSignal;
}

export type BlobOutcome = 'copied' | 'exists' | 'mounted' | 'skipped-foreign';

export interface CopyStats {
  blobsCopied: number;
  blobsMounted: number;
  blobsExisting: number;
  bytesCopied: number;
  manifestsCopied: number;
  manifestsExisting: number;
  referrersCopied: number;
  /** Nondistributable (foreign) layers left out, as Docker and skopeo do. */
  foreignLayersSkipped: number;
}

export interface PlannedItem {
  kind: 'blob' | 'manifest';
  digest: string;
  size: number;
  mediaType: string;
  action: 'copy' | 'mount' | 'exists' | 'skip-foreign';
}

export interface CopyResult {
  source: string;
  destination: string;
  /** Digest of what the destination tag now names (the filtered index when platforms were filtered). */
  digest: string;
  mediaType: string;
  /** `skipped`: the destination already had the digest; `planned`: dry run. */
  status: 'copied' | 'skipped' | 'planned';
  /** Set when a platform filter rewrote the index. */
  filtered?: { sourceDigest: string; platforms: string[] };
  stats: CopyStats;
  /** Dry run only: what would move. */
  plan?: PlannedItem[];
  /** Referrer manifests copied (or planned), by subject digest. */
  referrers: { subject: string; descriptor: Descriptor }[];
}

/** Progress of a run, for bars on a terminal and, later, engine step progress. */
export type CopyEvent =
  | { type: 'image-start'; source: string; destination: string }
  | { type: 'blob-start'; digest: string; size: number }
  | { type: 'blob-progress'; digest: string; bytes: number; size: number }
  | { type: 'blob-done'; digest: string; size: number; outcome: BlobOutcome }
  | { type: 'blob-retry'; digest: string; attempt: number; error: string }
  | { type: 'manifest-done'; digest: string; outcome: 'copied' | 'exists' }
  | { type: 'image-done'; result: CopyResult }
  | { type: 'image-failed'; source: string; destination: string; error: string };

export function emptyStats(): CopyStats {
  return {
    blobsCopied: 0,
    blobsMounted: 0,
    blobsExisting: 0,
    bytesCopied: 0,
    manifestsCopied: 0,
    manifestsExisting: 0,
    referrersCopied: 0,
    foreignLayersSkipped: 0,
  };
}

export function addStats(into: CopyStats, from: CopyStats): CopyStats {
  for (const key of Object.keys(into) as (keyof CopyStats)[]) into[key] += from[key];
  return into;
}
