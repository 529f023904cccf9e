import { randomBytes } from 'node:crypto';
import { mkdir, open, rename, unlink, utimes } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { throwIfAborted } from '../../kernel/index.js';

export interface Durability {
  /**
   * fsync files before they are renamed into place and their directory after, so that a
   * power loss leaves either the old or the new file. A process crash needs neither: the
   * rename alone is atomic.
   */
  fsync: boolean;
}

export interface AtomicWriteOptions {
  signal?: AbortSignal;
  /**
   * Whether the content must survive a power loss too (default true). Marker files, whose
   * existence is the whole fact, skip the data fsync; their rename is still made durable.
   */
  syncContent?: boolean;
}

/** A name for a staging file that no other process will pick. */
export function tempName(prefix = 'tmp'): string {
  return `${prefix}-${process.pid}-${randomBytes(8).toString('hex')}`;
}

/**
 * Writes `data` to `target` by writing a staging file in `tmpDir` (same filesystem) and
 * renaming it over the target: readers see the old content or the new, never a torn file,
 * and concurrent writers from several processes each win or lose whole.
 */
export async function writeFileAtomic(
  tmpDir: string,
  target: string,
  data: Uint8Array | string,
  durability: Durability,
  options: AtomicWriteOptions = {},
): Promise<void> {
  throwIfAborted(options.signal);
  const staging = join(tmpDir, tempName());
  const handle = await openCreating(staging);
  try {
    await handle.writeFile(data);
    if (durability.fsync && options.syncContent !== false) await handle.datasync();
  } catch (error) {
    await handle.close();
    await unlink(staging).catch(() => undefined);
    throw error;
  }
  await handle.close();
  await renameInto(staging, target, durability);
}

/** Renames `source` onto `target`, creating the target's directory when it does not exist yet. */
export async function renameInto(source: string, target: string, durability: Durability): Promise<void> {
  try {
    await rename(source, target);
  } catch (error) {
    if (!isNotFound(error)) {
      await unlink(source).catch(() => undefined);
      throw error;
    }
    await mkdir(dirname(target), { recursive: true });
    await rename(source, target);
  }
  if (durability.fsync) await syncDirectory(dirname(target));
}

export async function syncDirectory(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Removes a file; returns whether it existed. */
export async function removeFile(path: string): Promise<boolean> {
  try {
    await unlink(path);
    return true;
  } catch (error) {
    if (isNotFound(error)) return false;
    throw error;
  }
}

/** Marks a file as used now (garbage collection spares files younger than its grace period). */
export async function touchFile(path: string, now: Date): Promise<boolean> {
  try {
    await utimes(path, now, now);
    return true;
  } catch (error) {
    if (isNotFound(error)) return false;
    throw error;
  }
}

async function openCreating(path: string) {
  try {
    return await open(path, 'wx', 0o644);
  } catch (error) {
    if (!isNotFound(error)) throw error;
    await mkdir(dirname(path), { recursive: true });
    return open(path, 'wx', 0o644);
  }
}

export function isNotFound(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}
