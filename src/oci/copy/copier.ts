import {
  type Clock,
  CopyError,
  Limiter,
  type Logger,
  OciError,
  silentLogger,
  systemClock,
  toAppError,
} from '../../kernel/index.js';
import type { BlobLocationHints } from './blob-hints.js';
import type { ReadOnlyTarget, Target, TargetLocation } from '../content/index.js';
import { type Descriptor, type Manifest, formatPlatform, isNondistributable } from '../manifest/index.js';
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from '../remote/retry.js';
import { BlobCoordinator, locationKey } from './blob-transfer.js';
import { checkImagePlatform, filterIndex } from './platform-filter.js';
import { type CopyJob, type GraphCopier, step } from './job.js';
import { copyReferrers } from './referrers-walk.js';
import { type CopyEvent, type CopyOptions, type CopyResult, type PlannedItem, emptyStats } from './types.js';

export interface CopierOptions {
  /** Blob transfers in flight across the whole run. Default 16. */
  concurrency?: number;
  retry?: Partial<RetryPolicy>;
  clock?: Clock;
  logger?: Logger;
  onEvent?: (event: CopyEvent) => void;
  /** Where blobs were seen in earlier runs: mount sources tried before an upload. */
  hints?: BlobLocationHints;
}

/** Sixteen transfers: saturates typical links while two registries' pools (8 each way) stay busy. */
export const DEFAULT_COPY_CONCURRENCY = 16;
/**
 * Eight images at once: enough that per-image round trips (resolve, existence checks)
 * overlap, few enough that manifests are not fetched far ahead of the blob transfers.
 */
export const DEFAULT_IMAGE_CONCURRENCY = 8;

export interface CopyItem {
  source: ReadOnlyTarget;
  /** Tag or digest at the source. */
  reference: string;
  destination: Target;
  /** Tag at the destination; by digest when absent. */
  tag?: string;
}

export type CopyOutcome = { item: CopyItem; result: CopyResult } | { item: CopyItem; error: Error };

/**
 * The copy engine: moves image graphs (index → manifests → config and layers, optionally
 * with their referrers) between content stores. One Copier per run: everything copied
 * through it shares the blob de-duplication, the cross-repository mount knowledge and the
 * concurrency bound — so twenty images sharing two base layers transfer those layers once.
 */
export class Copier implements GraphCopier {
  private readonly blobs: BlobCoordinator;
  private readonly manifests = new Map<string, Promise<'copied' | 'exists'>>();
  private readonly emit: (event: CopyEvent) => void;
  private readonly logger: Logger;

  constructor(options: CopierOptions = {}) {
    this.emit = options.onEvent ?? (() => {});
    this.logger = options.logger ?? silentLogger;
    const clock: Clock = options.clock ?? systemClock;
    this.blobs = new BlobCoordinator({
      limiter: new Limiter(options.concurrency ?? DEFAULT_COPY_CONCURRENCY),
      retry: { ...DEFAULT_RETRY_POLICY, ...options.retry },
      clock,
      logger: this.logger,
      emit: this.emit,
      hints: options.hints,
    });
  }

  /** Copies one image; `tag` names it at the destination (by digest when absent). */
  async copy(
    source: ReadOnlyTarget,
    reference: string,
    destination: Target,
    tag?: string,
    options: CopyOptions = {},
  ): Promise<CopyResult> {
    const from = describe(source.location, reference);
    const to = describe(destination.location, tag);
    this.emit({ type: 'image-start', source: from, destination: to });
    try {
      const result = await this.copyRoot(source, reference, destination, tag, options, from, to);
      this.emit({ type: 'image-done', result });
      return result;
    } catch (error) {
      this.emit({ type: 'image-failed', source: from, destination: to, error: (error as Error).message });
      throw error;
    }
  }

  /** Copies many images with at most `imageConcurrency` in flight; failures are reported per item. */
  async copyMany(
    items: CopyItem[],
    options: CopyOptions & { imageConcurrency?: number } = {},
  ): Promise<CopyOutcome[]> {
    const limiter = new Limiter(options.imageConcurrency ?? DEFAULT_IMAGE_CONCURRENCY);
    return Promise.all(
      items.map((item) =>
        limiter
          .run(
            () => this.copy(item.source, item.reference, item.destination, item.tag, options),
            options.signal,
          )
          .then(
            (result) => ({ item, result }),
            (error: unknown) => ({ item, error: toAppError(error) }),
          ),
      ),
    );
  }

  private async copyRoot(
    source: ReadOnlyTarget,
    reference: string,
    destination: Target,
    tag: string | undefined,
    options: CopyOptions,
    from: string,
    to: string,
  ): Promise<CopyResult> {
    const signal = options.signal;
    const job: CopyJob = {
      source,
      destination,
      options,
      stats: emptyStats(),
      plan: [],
      referrers: [],
      visited: new Set(),
    };
    const wantsFilter = options.platforms !== undefined && options.platforms.length > 0;
    // Both ends are asked at once: on a warm mirror these two lookups are the whole copy.
    const existingAtDestination =
      !wantsFilter && !options.force && tag !== undefined
        ? destinationDigest(destination, tag, signal)
        : undefined;
    // A failure of the source lookup is the one reported; the destination's is read below or not at all.
    existingAtDestination?.catch(() => undefined);
    const resolved = await step('resolve', 'source', () => source.resolve(reference, { signal }));
    if (existingAtDestination) {
      const existing = await existingAtDestination;
      if (existing === resolved.digest) {
        if (options.referrers) await copyReferrers(this, job, [resolved]);
        return this.result(job, from, to, resolved, 'skipped');
      }
    }
    let root = await step('fetch-manifest', 'source', () => source.fetchManifest(resolved, { signal }));
    let filtered: CopyResult['filtered'];
    if (wantsFilter && root.kind === 'index') {
      const narrowed = filterIndex(root, options.platforms!, from);
      if (narrowed.filtered)
        filtered = {
          sourceDigest: root.descriptor.digest,
          platforms: options.platforms!.map(formatPlatform),
        };
      root = narrowed.manifest;
    } else if (wantsFilter && root.kind === 'image') {
      await checkImagePlatform(source, root, options.platforms!, from, signal);
    }
    if (
      wantsFilter &&
      !options.force &&
      tag !== undefined &&
      (await destinationDigest(destination, tag, signal)) === root.descriptor.digest
    ) {
      return { ...this.result(job, from, to, root.descriptor, 'skipped'), ...(filtered ? { filtered } : {}) };
    }
    await this.copyGraph(job, root, tag);
    // Referrers name the source digest; after filtering only the kept platform manifests keep theirs.
    const subjects = filtered ? childManifests(root) : [root.descriptor, ...childManifests(root)];
    if (options.referrers) await copyReferrers(this, job, subjects);
    const status = options.dryRun ? 'planned' : 'copied';
    return { ...this.result(job, from, to, root.descriptor, status), ...(filtered ? { filtered } : {}) };
  }

  /**
   * Copies a manifest's children, then the manifest itself (children first, as registries
   * require). A manifest the destination already has is skipped with its whole subtree.
   */
  async copyGraph(job: CopyJob, manifest: Manifest, tag?: string): Promise<'copied' | 'exists'> {
    const { destination, options } = job;
    const signal = options.signal;
    const digest = manifest.descriptor.digest;
    if (job.visited.has(digest) && tag === undefined) return 'exists';
    job.visited.add(digest);
    const present =
      !options.force &&
      (await step('push-manifest', 'destination', () =>
        destination.manifestExists(manifest.descriptor, { signal }),
      ));
    if (present) {
      job.stats.manifestsExisting++;
      if (tag !== undefined) await this.pushManifest(job, manifest, tag, true);
      else this.record(job, manifest.descriptor, 'manifest', 'exists');
      return 'exists';
    }
    if (manifest.kind === 'index') {
      await Promise.all(
        manifest.index.manifests.map(async (child) => {
          const childManifest = await step('fetch-manifest', 'source', () =>
            job.source.fetchManifest(child, { signal }),
          );
          await this.copyGraph(job, childManifest);
        }),
      );
    } else {
      await Promise.all(
        [manifest.image.config, ...manifest.image.layers].map((blob) => this.copyBlob(job, blob)),
      );
    }
    await this.pushManifest(job, manifest, tag, false);
    return 'copied';
  }

  private async copyBlob(job: CopyJob, descriptor: Descriptor): Promise<void> {
    const { source, destination, options } = job;
    if (isNondistributable(descriptor)) {
      job.stats.foreignLayersSkipped++;
      this.record(job, descriptor, 'blob', 'skip-foreign');
      return;
    }
    if (options.dryRun) {
      if (job.visited.has(`blob:${descriptor.digest}`)) return;
      job.visited.add(`blob:${descriptor.digest}`);
      const exists =
        !options.force &&
        (await step('push-blob', 'destination', () =>
          destination.blobExists(descriptor, { signal: options.signal }),
        ));
      this.record(job, descriptor, 'blob', exists ? 'exists' : 'copy');
      if (!exists) job.stats.bytesCopied += descriptor.size;
      return;
    }
    const outcome = await this.blobs.ensure({
      source,
      destination,
      descriptor,
      force: options.force ?? false,
      signal: options.signal,
    });
    if (outcome === 'copied') {
      job.stats.blobsCopied++;
      job.stats.bytesCopied += descriptor.size;
    } else if (outcome === 'mounted') job.stats.blobsMounted++;
    else job.stats.blobsExisting++;
  }

  private async pushManifest(
    job: CopyJob,
    manifest: Manifest,
    tag: string | undefined,
    existed: boolean,
  ): Promise<void> {
    const { destination, options } = job;
    if (options.dryRun) {
      if (!existed) this.record(job, manifest.descriptor, 'manifest', 'copy');
      return;
    }
    const key = `${locationKey(destination.location)}|${manifest.descriptor.digest}|${tag ?? ''}`;
    let pushing = this.manifests.get(key);
    if (!pushing) {
      pushing = step('push-manifest', 'destination', () =>
        destination.pushManifest(manifest, { tag, signal: options.signal }),
      ).then(() => 'copied' as const);
      this.manifests.set(key, pushing);
      pushing.catch(() => this.manifests.delete(key));
    }
    await pushing;
    if (!existed) job.stats.manifestsCopied++;
    this.emit({
      type: 'manifest-done',
      digest: manifest.descriptor.digest,
      outcome: existed ? 'exists' : 'copied',
    });
  }

  private record(
    job: CopyJob,
    descriptor: Descriptor,
    kind: PlannedItem['kind'],
    action: PlannedItem['action'],
  ): void {
    if (job.options.dryRun)
      job.plan.push({
        kind,
        digest: descriptor.digest,
        size: descriptor.size,
        mediaType: descriptor.mediaType,
        action,
      });
  }

  private result(
    job: CopyJob,
    source: string,
    destination: string,
    root: Descriptor,
    status: CopyResult['status'],
  ): CopyResult {
    const result: CopyResult = {
      source,
      destination,
      digest: root.digest,
      mediaType: root.mediaType,
      status,
      stats: job.stats,
      referrers: job.referrers,
    };
    if (job.options.dryRun) result.plan = job.plan;
    this.logger.debug(
      { source, destination, digest: root.digest, status, ...job.stats },
      'image copy finished',
    );
    return result;
  }
}

function childManifests(manifest: Manifest): Descriptor[] {
  return manifest.kind === 'index' ? manifest.index.manifests : [];
}

async function destinationDigest(
  destination: Target,
  tag: string,
  signal?: AbortSignal,
): Promise<string | undefined> {
  try {
    return (await destination.resolve(tag, { signal })).digest;
  } catch (error) {
    if (
      error instanceof OciError &&
      (error.code === 'OCI_MANIFEST_UNKNOWN' || error.code === 'OCI_NAME_UNKNOWN')
    )
      return undefined;
    throw new CopyError('resolve', 'destination', error);
  }
}

export function describe(location: TargetLocation, reference: string | undefined): string {
  const base =
    location.kind === 'remote'
      ? `${location.registry}/${location.repository}`
      : `${location.kind === 'layout' ? 'oci:' : 'memory:'}${location.registry}`;
  if (reference === undefined) return base;
  return /^[a-z0-9]+:/.test(reference) ? `${base}@${reference}` : `${base}:${reference}`;
}
