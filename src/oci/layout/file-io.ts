import { randomUUID } from 'node:crypto';
import { mkdir, open, rename, stat, unlink, writeFile, type FileHandle } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { AppError, abortedError, throwIfAborted } from '../../kernel/index.js';

/**
 * File-system primitives of the layout store: atomic replacement (temp file, fsync,
 * rename, fsync of the directory) and error mapping that names the file involved.
 */

export interface FileIoOptions {
  signal?: AbortSignal;
}

/** The errno code of a Node.js system error, if it is one. */
export function errnoOf(error: unknown): string | undefined {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return typeof code === 'string' ? code : undefined;
}

/**
 * The error to report for a failed file operation: ABORTED when the caller cancelled, our
 * own errors as they are, anything else as OCI_LAYOUT_IO_FAILED naming the action and path.
 */
export function layoutIoError(error: unknown, action: string, path: string, signal?: AbortSignal): unknown {
  if (signal?.aborted) return abortedError(signal);
  if (error instanceof AppError) return error;
  const reason = error instanceof Error ? error.message : String(error);
  return new AppError('OCI_LAYOUT_IO_FAILED', `cannot ${action} ${path}: ${reason}`, {
    cause: error,
    details: { path, ...(errnoOf(error) ? { errno: errnoOf(error)! } : {}) },
  });
}

/** Whether a file exists; errors other than "not found" (permissions, I/O) are raised. */
export async function fileExists(path: string, options: FileIoOptions = {}): Promise<boolean> {
  throwIfAborted(options.signal);
  try {
    await stat(path);
    return true;
  } catch (error) {
    if (errnoOf(error) === 'ENOENT') return false;
    throw layoutIoError(error, 'inspect', path, options.signal);
  }
}

/** A hidden temporary file in `directory`, on the same file system as its target so that rename is atomic. */
export function temporaryPath(directory: string, prefix: string): string {
  return join(directory, `.${prefix}-${randomUUID()}.tmp`);
}

/** Renames a complete, flushed temporary file over `target` and makes the rename durable. */
export async function commitFile(temporary: string, target: string): Promise<void> {
  await mkdir(dirname(target), { recursive: true });
  await rename(temporary, target);
  await syncDirectory(dirname(target));
}

/** Replaces `path` with `bytes` so that readers see either the old or the new content, never a mix. */
export async function writeFileAtomic(
  path: string,
  bytes: Uint8Array,
  options: FileIoOptions = {},
): Promise<void> {
  throwIfAborted(options.signal);
  const temporary = temporaryPath(dirname(path), basename(path));
  try {
    // flush: fsync before close, so that the rename never exposes a file whose data is not on disk.
    await writeFile(temporary, bytes, { flag: 'wx', mode: 0o644, flush: true, signal: options.signal });
    await commitFile(temporary, path);
  } catch (error) {
    await removeQuietly(temporary);
    throw layoutIoError(error, 'write', path, options.signal);
  }
}

/** Deletes a file that may not exist (clean-up after a failure; the original error matters more). */
export async function removeQuietly(path: string): Promise<void> {
  try {
    await unlink(path);
  } catch {
    // Nothing to clean up, or nothing more we can do about it.
  }
}

/**
 * fsync of the directory makes a rename survive a crash (POSIX leaves it in the page cache
 * otherwise). Platforms that cannot open or sync directories are skipped.
 */
async function syncDirectory(directory: string): Promise<void> {
  let handle: FileHandle | undefined;
  try {
    handle = await open(directory, 'r');
    await handle.sync();
  } catch (error) {
    if (!['EISDIR', 'EPERM', 'EINVAL', 'EBADF', 'EACCES'].includes(errnoOf(error) ?? '')) throw error;
  } finally {
    await handle?.close();
  }
}
