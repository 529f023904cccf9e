import { CopyError } from '../../kernel/index.js';
import type { ReadOnlyTarget, Target } from '../content/index.js';
import type { Manifest } from '../manifest/index.js';
import type { CopyOptions, CopyResult, CopyStats, PlannedItem } from './types.js';

/** One image copy in progress: what it writes where, and what it has counted so far. */
export interface CopyJob {
  source: ReadOnlyTarget;
  destination: Target;
  options: CopyOptions;
  stats: CopyStats;
  plan: PlannedItem[];
  referrers: CopyResult['referrers'];
  /** Manifests (and, in dry runs, blobs) already handled in this job: referrer cycles, shared children. */
  visited: Set<string>;
}

/** What walking referrers needs of the copier: copying one manifest's graph. */
export interface GraphCopier {
  copyGraph(job: CopyJob, manifest: Manifest, tag?: string): Promise<'copied' | 'exists'>;
}

/** Runs one operation, attributing a failure to its side of the copy. */
export async function step<T>(
  op: CopyError['op'],
  side: CopyError['side'],
  run: () => Promise<T>,
): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof CopyError) throw error;
    throw new CopyError(op, side, error);
  }
}
