import type { Digest } from '../../kernel/index.js';

/**
 * A per-process LRU of small immutable content (manifest bytes) keyed by digest, bounded
 * by total bytes. Content-addressed bytes never change, so entries need no validation;
 * whether a repository still holds a manifest is checked separately on every request.
 */
export class ContentCache {
  private readonly entries = new Map<Digest, Buffer>();
  private bytes = 0;

  constructor(
    private readonly maxBytes: number,
    /** Entries larger than this are not cached (they would evict too much). */
    private readonly maxEntryBytes: number = Math.max(1, Math.floor(maxBytes / 16)),
  ) {}

  get(digest: Digest): Buffer | undefined {
    const value = this.entries.get(digest);
    if (value === undefined) return undefined;
    // Re-insert: a Map iterates in insertion order, so the first key is the least recently used.
    this.entries.delete(digest);
    this.entries.set(digest, value);
    return value;
  }

  set(digest: Digest, value: Buffer): void {
    if (value.length > this.maxEntryBytes || this.entries.has(digest)) return;
    this.entries.set(digest, value);
    this.bytes += value.length;
    while (this.bytes > this.maxBytes) {
      const oldest = this.entries.entries().next().value;
      if (!oldest) break;
      this.entries.delete(oldest[0]);
      this.bytes -= oldest[1].length;
    }
  }

  get size(): number {
    return this.entries.size;
  }
}
