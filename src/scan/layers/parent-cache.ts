import type { FsNode, FsTree } from './fs-tree.js';

/**
 * Where the previous entry's parent directory resolved to. Layers list entries directory by
 * directory, so most entries share their predecessor's parent and skip normalising and
 * walking their path; on the hot path of scanning this is most of the per-entry work. The
 * resolution is trusted only while the tree's generation is unchanged (no directory or
 * symlink removed or replaced since).
 */
export class ParentCache {
  private prefix: string | undefined;
  private node: FsNode | undefined;
  private path = '/';
  private depth = 0;
  private generation = -1;

  constructor(private readonly tree: FsTree) {}

  /**
   * The parent of `name` (whose last `/` before its leaf is at `slash`) when it is the one
   * remembered, else undefined.
   */
  lookup(name: string, slash: number): { node: FsNode; path: string; depth: number } | undefined {
    const prefix = this.prefix;
    if (prefix === undefined || this.generation !== this.tree.generation) return undefined;
    if (prefix.length !== slash + 1 || !name.startsWith(prefix)) return undefined;
    return { node: this.node!, path: this.path, depth: this.depth };
  }

  remember(prefix: string, node: FsNode, path: string, depth: number): void {
    this.prefix = prefix;
    this.node = node;
    this.path = path;
    this.depth = depth;
    this.generation = this.tree.generation;
  }
}
