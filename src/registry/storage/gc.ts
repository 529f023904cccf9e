import { readdir, readFile, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { type Clock, type Digest, isDigest, throwIfAborted } from '../../kernel/index.js';
import { childrenOf, type Manifest, parseManifest, subjectOf } from '../../oci/manifest/index.js';
import { isNotFound } from './atomic.js';
import type { BlobStore } from './blob-store.js';
import { listDir, type MetadataStore } from './metadata-store.js';
import type { StoragePaths } from './paths.js';
import type { ReferrerStore } from './referrer-store.js';
import { recoverTrash, removeIfStale } from './stale-removal.js';
import { UPLOAD_STATE_FILE, type UploadSession, uploadBytes } from './upload-store.js';
import { findUnreachable } from './gc-reachability.js';

export interface GcOptions {
  paths: StoragePaths;
  blobs: BlobStore;
  metadata: MetadataStore;
  referrers: ReferrerStore;
  clock: Clock;
  /** Content and metadata touched more recently than this is kept, referenced or not. */
  graceMs: number;
  /** Upload sessions idle longer than this are removed. */
  uploadExpiryMs: number;
  /** Report what would be removed without removing anything. */
  dryRun?: boolean;
  /** Also remove manifests that no tag reaches (directly, through an index, or as a referrer). */
  deleteUntagged?: boolean;
  signal?: AbortSignal;
}

export interface GcItem {
  kind: 'blob' | 'manifest' | 'upload';
  /** Digest of a blob or manifest; session id of an upload. */
  id: string;
  repository?: string;
  bytes: number;
}

export interface GcReport {
  removed: GcItem[];
  bytes: number;
  /** Blobs that stayed because something references them or they are within the grace period. */
  blobsKept: number;
  dryRun: boolean;
}

/**
 * Mark and sweep over the shared storage, safe while registry processes keep serving it:
 * blobs no manifest of any repository references are removed once older than the grace
 * period; pushes in flight are protected by that grace and by the touch-then-recheck
 * protocol of {@link removeIfStale}. Expired upload sessions and orphaned metadata go too.
 */
export async function collectGarbage(options: GcOptions): Promise<GcReport> {
  const cutoff = options.clock.now() - options.graceMs;
  const report: GcReport = { removed: [], bytes: 0, blobsKept: 0, dryRun: options.dryRun ?? false };
  if (!report.dryRun)
    await recoverTrash(options.paths.tmpDir, cutoff, (name) => trashTarget(options.paths, name));
  const marked = new Set<Digest>();
  for (const repository of await options.metadata.listRepositories()) {
    throwIfAborted(options.signal);
    await markRepository(repository, marked, cutoff, report, options);
  }
  const removedBlobs = await sweepBlobs(marked, cutoff, report, options);
  if (!report.dryRun) await unlinkDanglingLayers(removedBlobs, options);
  await sweepUploads(report, options);
  if (!report.dryRun) await sweepStaging(cutoff, options);
  report.bytes = report.removed.reduce((sum, item) => sum + item.bytes, 0);
  return report;
}

async function markRepository(
  repository: string,
  marked: Set<Digest>,
  cutoff: number,
  report: GcReport,
  options: GcOptions,
): Promise<void> {
  const manifests = new Map<Digest, Manifest>();
  for (const digest of await options.metadata.listRevisions(repository)) {
    const bytes = await options.blobs.readBytes(digest, { signal: options.signal });
    if (!bytes) continue;
    try {
      manifests.set(digest, parseManifest(bytes, { digest }));
    } catch {
      marked.add(digest);
    }
  }
  if (options.deleteUntagged) {
    const tagged = await taggedDigests(repository, options.metadata);
    for (const digest of findUnreachable(manifests, tagged)) {
      const removed = await removeRevision(repository, manifests.get(digest)!, cutoff, options);
      if (removed) {
        manifests.delete(digest);
        report.removed.push({ kind: 'manifest', id: digest, repository, bytes: 0 });
      }
    }
  }
  for (const [digest, manifest] of manifests) {
    marked.add(digest);
    for (const child of childrenOf(manifest)) marked.add(child.digest);
  }
}

async function removeRevision(
  repository: string,
  manifest: Manifest,
  cutoff: number,
  options: GcOptions,
): Promise<boolean> {
  const digest = manifest.descriptor.digest;
  const path = options.paths.revision(repository, digest);
  if (options.dryRun) return ((await stat(path).catch(() => undefined))?.mtimeMs ?? Infinity) <= cutoff;
  const outcome = await removeIfStale(
    path,
    `revision-${process.pid}-${digest.replace(':', '-')}`,
    options.paths.tmpDir,
    cutoff,
  );
  if (!outcome.removed) return false;
  const subject = subjectOf(manifest);
  if (subject) await options.referrers.delete(repository, subject.digest, digest);
  return true;
}

async function taggedDigests(repository: string, metadata: MetadataStore): Promise<Set<Digest>> {
  const tags = await metadata.listTags(repository);
  const digests = await Promise.all(tags.map((tag) => metadata.resolveTag(repository, tag)));
  return new Set(digests.filter((d): d is Digest => d !== undefined));
}

async function sweepBlobs(
  marked: Set<Digest>,
  cutoff: number,
  report: GcReport,
  options: GcOptions,
): Promise<Set<Digest>> {
  const removed = new Set<Digest>();
  for (const algorithm of await listDir(options.paths.blobsDir)) {
    for (const prefix of await listDir(join(options.paths.blobsDir, algorithm))) {
      throwIfAborted(options.signal);
      for (const encoded of await listDir(join(options.paths.blobsDir, algorithm, prefix))) {
        const digest = `${algorithm}:${encoded}`;
        if (!isDigest(digest) || marked.has(digest)) {
          report.blobsKept++;
          continue;
        }
        const bytes = await removeBlob(digest, cutoff, options);
        if (bytes === undefined) report.blobsKept++;
        else {
          removed.add(digest);
          report.removed.push({ kind: 'blob', id: digest, bytes });
        }
      }
    }
  }
  return removed;
}

async function removeBlob(digest: Digest, cutoff: number, options: GcOptions): Promise<number | undefined> {
  const path = options.paths.blob(digest);
  if (options.dryRun) {
    const info = await stat(path).catch(() => undefined);
    return info && info.mtimeMs <= cutoff ? info.size : undefined;
  }
  const outcome = await removeIfStale(path, `blob-${digest.replace(':', '-')}`, options.paths.tmpDir, cutoff);
  return outcome.removed ? outcome.bytes : undefined;
}

/** Repository links to removed blobs would make HEAD say "present" for content that is gone. */
async function unlinkDanglingLayers(removed: Set<Digest>, options: GcOptions): Promise<void> {
  if (removed.size === 0) return;
  for (const repository of await options.metadata.listRepositories()) {
    for (const digest of await options.metadata.listLayerLinks(repository)) {
      if (removed.has(digest) && !(await options.blobs.stat(digest)))
        await options.metadata.unlinkLayer(repository, digest);
    }
  }
}

async function sweepUploads(report: GcReport, options: GcOptions): Promise<void> {
  const now = options.clock.now();
  for (const id of await listDir(options.paths.uploadsDir)) {
    const dir = options.paths.upload(id);
    const updatedAt = await sessionUpdatedAt(dir);
    if (updatedAt === undefined || now - updatedAt <= options.uploadExpiryMs) continue;
    const bytes = await uploadBytes(options.paths, id);
    if (!report.dryRun) await rm(dir, { recursive: true, force: true });
    report.removed.push({ kind: 'upload', id, bytes });
  }
}

/** When a session last changed: its state, or for a session that never got one, its directory. */
async function sessionUpdatedAt(dir: string): Promise<number | undefined> {
  try {
    return (JSON.parse(await readFile(join(dir, UPLOAD_STATE_FILE), 'utf8')) as UploadSession).updatedAt;
  } catch (error) {
    if (!isNotFound(error) && !(error instanceof SyntaxError)) throw error;
    return (await stat(dir).catch(() => undefined))?.mtimeMs;
  }
}

/** Staging files of writes that crashed halfway. */
async function sweepStaging(cutoff: number, options: GcOptions): Promise<void> {
  for (const name of await readdir(options.paths.tmpDir).catch(() => [] as string[])) {
    const path = join(options.paths.tmpDir, name);
    const info = await stat(path).catch(() => undefined);
    if (info && info.isFile() && info.mtimeMs <= cutoff) await rm(path, { force: true });
  }
}

/** Where a parked file of a crashed collection came from (`blob-sha256-<hex>`). */
function trashTarget(paths: StoragePaths, name: string): string | undefined {
  const match = /^blob-([a-z0-9]+)-([a-f0-9]+)$/.exec(name);
  if (!match) return undefined;
  const digest = `${match[1]}:${match[2]}`;
  return isDigest(digest) ? paths.blob(digest) : undefined;
}
