import type { Stats } from 'node:fs';
import { open, readFile, stat, unlink, type FileHandle } from 'node:fs/promises';
import type { Clock, Digest } from '../../kernel/index.js';
import { type Durability, isNotFound, renameInto, touchFile, writeFileAtomic } from './atomic.js';
import type { StoragePaths } from './paths.js';
import type { CallOptions } from '../../oci/content/index.js';

export interface BlobStoreOptions {
  paths: StoragePaths;
  durability: Durability;
  clock: Clock;
}

/**
 * Content-addressed blob files shared by every repository and every process. A blob file
 * only ever appears whole and verified (renamed into place after its digest was checked),
 * so its presence is proof of its content; writing the same digest twice is harmless.
 */
export class BlobStore {
  private readonly paths: StoragePaths;
  private readonly durability: Durability;
  private readonly clock: Clock;

  constructor(options: BlobStoreOptions) {
    this.paths = options.paths;
    this.durability = options.durability;
    this.clock = options.clock;
  }

  path(digest: Digest): string {
    return this.paths.blob(digest);
  }

  async stat(digest: Digest): Promise<Stats | undefined> {
    try {
      return await stat(this.paths.blob(digest));
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  }

  /** Opens a blob for reading; the caller closes the handle. */
  async open(digest: Digest): Promise<FileHandle | undefined> {
    try {
      return await open(this.paths.blob(digest), 'r');
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  }

  async readBytes(digest: Digest, { signal }: CallOptions = {}): Promise<Buffer | undefined> {
    try {
      return await readFile(this.paths.blob(digest), { signal });
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  }

  /**
   * Moves a verified (and, with fsync on, synced) staging file into place. When the blob
   * already exists the staging file is dropped and the existing one marked as used, so that
   * a garbage collection running concurrently keeps it.
   */
  async commitFile(source: string, digest: Digest): Promise<void> {
    if (await this.touch(digest)) {
      await unlink(source).catch(() => undefined);
      return;
    }
    await renameInto(source, this.paths.blob(digest), this.durability);
  }

  /** Stores small verified content (a manifest) under its digest. */
  async writeBytes(digest: Digest, bytes: Uint8Array, { signal }: CallOptions = {}): Promise<void> {
    if (await this.touch(digest)) return;
    await writeFileAtomic(this.paths.tmpDir, this.paths.blob(digest), bytes, this.durability, { signal });
  }

  /** Marks a blob as in use now; false when it does not exist. */
  touch(digest: Digest): Promise<boolean> {
    return touchFile(this.paths.blob(digest), new Date(this.clock.now()));
  }
}
