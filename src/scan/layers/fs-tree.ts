import type { FileSelector } from './types.js';

export type NodeKind = 'file' | 'directory' | 'symlink' | 'other';

/** What was captured of a file: its bytes and the results of the probes that read it. */
export interface FileCapture {
  content?: Buffer;
  probes?: Map<FileSelector, unknown>;
}

/**
 * One path of the merged filesystem. Kept small: an image has up to a few hundred thousand
 * entries and each becomes a node; only directories carry a map, only links a target, only
 * wanted files a capture.
 */
export class FsNode {
  children: Map<string, FsNode> | undefined;
  /** Symlink target as stored in the tar. */
  link: string | undefined;
  capture: FileCapture | undefined;
  size = 0;
  mode = 0;

  constructor(
    public kind: NodeKind,
    /** Index of the layer that last wrote this path; -1 for the root. */
    public layer: number,
  ) {
    if (kind === 'directory') this.children = new Map();
  }
}

/**
 * Linux gives up after 40 symlinks in one resolution (MAXSYMLINKS); a loop `a → b → a` is
 * reported as missing rather than followed forever.
 */
export const MAX_SYMLINK_HOPS = 40;

export type WalkFailure = 'missing' | 'not-directory' | 'loop';

export interface WalkResult {
  node: FsNode;
  /** The real path's components, symlinks resolved. */
  names: string[];
}

export interface WalkOptions {
  /** Follow a symlink in the last component too (stat rather than lstat). */
  followFinal: boolean;
  /** Create missing directories as written by this layer (mkdir -p). */
  createLayer?: number;
}

/**
 * The merged filesystem of the layers read so far, with image-spec v1.1 layer.md semantics:
 * later layers replace earlier entries, whiteouts and opaque markers hide what lower layers
 * wrote (never what the same layer wrote), a directory replaced by a non-directory loses its
 * contents, and a directory written again keeps them.
 */
export class FsTree {
  readonly root = new FsNode('directory', -1);
  /**
   * Changes whenever a directory or symlink is removed or replaced, that is whenever a path
   * that resolved before may resolve differently now; lets callers cache resolutions.
   */
  generation = 0;

  /**
   * Resolves `components` from the root, following symlinks the way the kernel does but inside
   * this filesystem: an absolute target restarts at this root and `..` never climbs above it
   * (the chroot semantics containerd applies when it extracts layers).
   */
  walk(components: readonly string[], options: WalkOptions): WalkResult | WalkFailure {
    const pending: string[] = [];
    for (let i = components.length - 1; i >= 0; i--) pending.push(components[i]!);
    const nodes: FsNode[] = [this.root];
    const names: string[] = [];
    let hops = 0;
    while (pending.length > 0) {
      const name = pending.pop()!;
      if (name === '' || name === '.') continue;
      if (name === '..') {
        if (nodes.length > 1) {
          nodes.pop();
          names.pop();
        }
        continue;
      }
      const dir = nodes[nodes.length - 1]!;
      let child = dir.children!.get(name);
      if (child === undefined) {
        if (options.createLayer === undefined) return 'missing';
        child = new FsNode('directory', options.createLayer);
        dir.children!.set(ownString(name), child);
      }
      const final = pending.length === 0;
      if (child.kind === 'symlink' && (!final || options.followFinal)) {
        if (++hops > MAX_SYMLINK_HOPS) return 'loop';
        const target = child.link ?? '';
        if (target === '') return 'missing';
        if (target.startsWith('/')) {
          nodes.length = 1;
          names.length = 0;
        }
        const parts = target.split('/');
        for (let i = parts.length - 1; i >= 0; i--) pending.push(parts[i]!);
        continue;
      }
      if (!final && child.kind !== 'directory') return 'not-directory';
      nodes.push(child);
      names.push(name);
    }
    return { node: nodes[nodes.length - 1]!, names };
  }

  /** Writes a directory: an existing directory keeps its contents, anything else is replaced. */
  addDirectory(parent: FsNode, name: string, layer: number): FsNode {
    const existing = parent.children!.get(name);
    if (existing !== undefined && existing.kind === 'directory') {
      existing.layer = layer;
      return existing;
    }
    if (existing?.kind === 'symlink') this.generation++;
    const node = new FsNode('directory', layer);
    parent.children!.set(existing === undefined ? ownString(name) : name, node);
    return node;
  }

  /** Writes a non-directory, replacing whatever was there (a directory with its contents). */
  addLeaf(parent: FsNode, name: string, kind: Exclude<NodeKind, 'directory'>, layer: number): FsNode {
    const existing = parent.children!.get(name);
    if (existing !== undefined && (existing.kind === 'directory' || existing.kind === 'symlink'))
      this.generation++;
    const node = new FsNode(kind, layer);
    parent.children!.set(existing === undefined ? ownString(name) : name, node);
    return node;
  }

  /** `.wh.<name>`: hides `name` as lower layers wrote it. */
  whiteout(parent: FsNode, name: string, layer: number): void {
    this.generation++;
    pruneLower(parent, name, layer);
  }

  /** `.wh..wh..opq`: hides every child of `directory` that lower layers wrote. */
  opaque(directory: FsNode, layer: number): void {
    this.generation++;
    for (const name of directory.children!.keys()) pruneLower(directory, name, layer);
  }
}

/**
 * V8 represents a substring of 13 or more characters as a view of its parent; a name sliced
 * from an entry's path would keep the whole path alive in the tree. A copy costs less than the
 * path it frees, and the tree is most of what a scan keeps in memory.
 */
const SLICED_STRING_MIN_LENGTH = 13;

function ownString(name: string): string {
  return name.length < SLICED_STRING_MIN_LENGTH ? name : (JSON.parse(JSON.stringify(name)) as string);
}

/**
 * Removes what layers below `layer` wrote at `parent/name`. Whatever `layer` itself wrote
 * there survives (layer.md: whiteouts apply to lower layers only, and the same layer may
 * list the whiteout after its own entries), together with the directories holding it.
 */
function pruneLower(parent: FsNode, name: string, layer: number): void {
  const node = parent.children!.get(name);
  if (node === undefined) return;
  if (node.kind === 'directory') {
    for (const child of node.children!.keys()) pruneLower(node, child, layer);
    if (node.layer < layer && node.children!.size === 0) parent.children!.delete(name);
    return;
  }
  if (node.layer < layer) parent.children!.delete(name);
}
