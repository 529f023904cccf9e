import { randomBytes } from 'node:crypto';
import { open, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { throwIfAborted } from '../../../kernel/index.js';

export interface WriteFileAtomicOptions {
  /** Permission bits of the file, set exactly (not filtered by the umask). */
  mode: number;
  signal?: AbortSignal;
}

/**
 * Replaces `path` with `data` so that readers see the old content or the new, never a
 * part: the data goes to a temporary file in the same directory (same file system, so the
 * rename is atomic per POSIX rename(2)), is flushed to disk, then renamed over the target,
 * and the directory is flushed so the rename survives a crash. Concurrent writers do not
 * corrupt the file; the last rename wins.
 */
export async function writeFileAtomic(
  path: string,
  data: string,
  options: WriteFileAtomicOptions,
): Promise<void> {
  throwIfAborted(options.signal);
  const directory = dirname(path);
  const temporary = join(
    directory,
    `.${basename(path)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`,
  );
  const handle = await open(temporary, 'wx', options.mode);
  try {
    try {
      await handle.writeFile(data, 'utf8');
      await handle.chmod(options.mode);
      await handle.sync();
    } finally {
      await handle.close();
    }
    throwIfAborted(options.signal);
    await rename(temporary, path);
  } catch (error) {
    await unlink(temporary).catch(() => {});
    throw error;
  }
  await syncDirectory(directory);
}

async function syncDirectory(directory: string): Promise<void> {
  try {
    const handle = await open(directory, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    // Some platforms and file systems cannot open or fsync a directory; the rename stands.
  }
}
