import { link, readdir, rename, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { isNotFound } from './atomic.js';

/** Prefix of files garbage collection parks in the staging directory while it removes them. */
export const TRASH_PREFIX = 'gc-';

export type RemovalOutcome = { removed: true; bytes: number } | { removed: false };

/**
 * Removes `path` if it was last touched before `cutoffMs`, safely against a process that
 * touches it at the same moment (a manifest push marking the blobs it references): the file
 * is first renamed into the staging directory, then its timestamp is read again, and if it
 * was touched in between it is put back. A toucher that comes after the rename finds no file
 * and fails its push with a retryable error instead of referencing a deleted blob.
 */
export async function removeIfStale(
  path: string,
  trashName: string,
  tmpDir: string,
  cutoffMs: number,
): Promise<RemovalOutcome> {
  const before = await statOrUndefined(path);
  if (!before || before.mtimeMs > cutoffMs) return { removed: false };
  const trash = join(tmpDir, `${TRASH_PREFIX}${trashName}`);
  try {
    await rename(path, trash);
  } catch (error) {
    if (isNotFound(error)) return { removed: false };
    throw error;
  }
  const after = await statOrUndefined(trash);
  if (after && after.mtimeMs > cutoffMs) {
    await restore(trash, path);
    return { removed: false };
  }
  await unlink(trash).catch(() => undefined);
  return { removed: true, bytes: after?.size ?? before.size };
}

/**
 * Finishes what a collection that crashed mid-removal left in the staging directory: parked
 * files touched after `cutoffMs` go back to `restorePath(name)`, the others are deleted.
 */
export async function recoverTrash(
  tmpDir: string,
  cutoffMs: number,
  restorePath: (name: string) => string | undefined,
): Promise<void> {
  let names: string[];
  try {
    names = await readdir(tmpDir);
  } catch (error) {
    if (isNotFound(error)) return;
    throw error;
  }
  for (const name of names.filter((n) => n.startsWith(TRASH_PREFIX))) {
    const trash = join(tmpDir, name);
    const info = await statOrUndefined(trash);
    const target = restorePath(name.slice(TRASH_PREFIX.length));
    if (info && target && info.mtimeMs > cutoffMs) await restore(trash, target);
    else await unlink(trash).catch(() => undefined);
  }
}

/** Puts a parked file back unless a new one took its place meanwhile (same content by address). */
async function restore(trash: string, path: string): Promise<void> {
  try {
    await link(trash, path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  await unlink(trash).catch(() => undefined);
}

async function statOrUndefined(path: string) {
  try {
    return await stat(path);
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw error;
  }
}
