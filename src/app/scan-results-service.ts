import { isDigest } from '../kernel/index.js';
import { parseTargetSpec } from '../oci/ref/index.js';
import { PostgresScanResultStore, type ScanResultHeader } from '../store/index.js';
import { openAirlockDatabase } from './database.js';
import { openSource } from './registry-access.js';
import { countBySeverity } from '../scan/scan-image.js';
import { type StoredScanRecord, fromStoredScanResult } from './scan-result-rows.js';
import type { ScanContext } from './scan-service.js';

export type { StoredScanRecord } from './scan-result-rows.js';
export type { ScanResultHeader } from '../store/index.js';

export interface ReadScanResultsOptions extends ScanContext {
  /** List every stored result (without findings) instead of returning the latest in full. */
  all?: boolean;
  limit?: number;
}

export interface ScanResults {
  /** The digest looked up: the one given, or the one the reference resolved to. */
  digest: string;
  /** The newest stored result, narrowed to the platform when `digest` is a platform manifest's. */
  latest?: StoredScanRecord;
  /** With `all`: every stored result, newest first. */
  history?: ScanResultHeader[];
}

/**
 * `airlock scan results`: what the store holds for an image. A digest is looked up as given
 * (no registry is contacted); a reference is resolved to its digest first, where it lives.
 */
export async function readScanResults(
  imageOrDigest: string,
  options: ReadScanResultsOptions,
): Promise<ScanResults> {
  const digest = isDigest(imageOrDigest) ? imageOrDigest : await resolveDigest(imageOrDigest, options);
  const database = await openAirlockDatabase({
    dataDir: options.dataDir,
    env: options.env,
    logger: options.logger,
  });
  try {
    const store = new PostgresScanResultStore(database.db);
    if (options.all) {
      return { digest, history: await store.list(digest, { limit: options.limit, signal: options.signal }) };
    }
    const stored = await store.latest(digest, { signal: options.signal });
    if (!stored) return { digest };
    const record = fromStoredScanResult(stored);
    if (record.digest === digest) return { digest, latest: record };
    // Looked up by a platform manifest's digest: that platform is what was asked about.
    const platforms = record.platforms.filter((p) => p.manifestDigest === digest);
    return { digest, latest: { ...record, platforms, summary: countBySeverity(platforms) } };
  } finally {
    await database.close();
  }
}

async function resolveDigest(location: string, options: ScanContext): Promise<string> {
  const { target, reference } = await openSource(parseTargetSpec(location), options.session, options.signal);
  return (await target.resolve(reference, { signal: options.signal })).digest;
}
