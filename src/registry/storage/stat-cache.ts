import type { Stats } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { isNotFound } from './atomic.js';

interface Entry<V> {
  ino: number;
  size: number;
  mtimeMs: number;
  ctimeMs: number;
  value: V;
}

/**
 * A per-process cache of small files' parsed content, validated on every read by one
 * `stat`: files here are only ever replaced by rename (a new inode) or removed, so an
 * unchanged inode, size and timestamps mean unchanged content, whichever process wrote it.
 * This keeps hot lookups (tag → digest, manifest revision → media type) at a single
 * syscall while staying correct when another process sharing the storage changes them.
 */
export class StatCache<V> {
  private readonly entries = new Map<string, Entry<V>>();

  constructor(
    private readonly maxEntries: number,
    private readonly decode: (bytes: Buffer, path: string) => V,
  ) {}

  /** The file's decoded content, or undefined when the file does not exist. */
  async get(path: string): Promise<V | undefined> {
    let info: Stats;
    try {
      info = await stat(path);
    } catch (error) {
      if (isNotFound(error)) {
        this.entries.delete(path);
        return undefined;
      }
      throw error;
    }
    const cached = this.entries.get(path);
    if (cached && matches(cached, info)) return cached.value;
    return this.load(path);
  }

  /** Forgets a path (after this process changed or removed the file). */
  invalidate(path: string): void {
    this.entries.delete(path);
  }

  private async load(path: string): Promise<V | undefined> {
    let handle;
    try {
      handle = await open(path, 'r');
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
    try {
      const info = await handle.stat();
      const value = this.decode(await handle.readFile(), path);
      this.remember(path, {
        ino: info.ino,
        size: info.size,
        mtimeMs: info.mtimeMs,
        ctimeMs: info.ctimeMs,
        value,
      });
      return value;
    } finally {
      await handle.close();
    }
  }

  private remember(path: string, entry: Entry<V>): void {
    this.entries.delete(path);
    if (this.entries.size >= this.maxEntries) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
    this.entries.set(path, entry);
  }
}

function matches<V>(entry: Entry<V>, info: Stats): boolean {
  return (
    entry.ino === info.ino &&
    entry.size === info.size &&
    entry.mtimeMs === info.mtimeMs &&
    entry.ctimeMs === info.ctimeMs
  );
}
