import type { ScanNotice } from '../inventory/types.js';
import { type FsNode, type FsTree, type WalkResult } from './fs-tree.js';
import { childPath } from './paths.js';
import type { CapturedFile, CapturedFilesystem, FileSelector } from './types.js';

/**
 * The final view after all layers. `files` and `symlinks` are built once; `exists` and `get`
 * walk the tree, so that a path reached through a symlinked directory (`/bin/sh` with `/bin` →
 * `usr/bin`, `/var/lib/rpm` → `../../usr/lib/sysimage/rpm`) is found like the kernel would.
 */
export class MergedFilesystem implements CapturedFilesystem {
  readonly files: ReadonlyMap<string, CapturedFile>;
  readonly symlinks: ReadonlyMap<string, string>;
  readonly notices: ScanNotice[];
  private readonly byNode: Map<FsNode, CapturedFile>;

  constructor(
    private readonly tree: FsTree,
    notices: ScanNotice[],
  ) {
    const files = new Map<string, CapturedFile>();
    const symlinks = new Map<string, string>();
    this.byNode = new Map();
    collect(tree.root, '/', files, symlinks, this.byNode);
    this.files = files;
    this.symlinks = symlinks;
    this.notices = notices;
  }

  /** Whether the path exists; symlinks in the last component are not followed (lstat). */
  exists(path: string): boolean {
    return typeof this.tree.walk(path.split('/'), { followFinal: false }) !== 'string';
  }

  /** The captured file at `path`, following symlinks in every component (stat). */
  get(path: string): CapturedFile | undefined {
    const found: WalkResult | string = this.tree.walk(path.split('/'), { followFinal: true });
    return typeof found === 'string' ? undefined : this.byNode.get(found.node);
  }

  find(predicate: (path: string) => boolean): CapturedFile[] {
    const out: CapturedFile[] = [];
    for (const [path, file] of this.files) if (predicate(path)) out.push(file);
    return out;
  }
}

function collect(
  directory: FsNode,
  path: string,
  files: Map<string, CapturedFile>,
  symlinks: Map<string, string>,
  byNode: Map<FsNode, CapturedFile>,
): void {
  for (const [name, node] of directory.children!) {
    if (node.children !== undefined) {
      collect(node, childPath(path, name), files, symlinks, byNode);
    } else if (node.kind === 'symlink') {
      symlinks.set(childPath(path, name), node.link ?? '');
    } else if (node.capture !== undefined) {
      const file = toCapturedFile(childPath(path, name), node);
      files.set(file.path, file);
      byNode.set(node, file);
    }
  }
}

function toCapturedFile(path: string, node: FsNode): CapturedFile {
  const file: CapturedFile = { path, size: node.size, mode: node.mode, layer: node.layer };
  const capture = node.capture!;
  if (capture.content !== undefined) file.content = capture.content;
  if (capture.probes !== undefined && capture.probes.size > 0) {
    file.probes = capture.probes as ReadonlyMap<FileSelector, unknown>;
    if (capture.probes.size === 1) file.probe = capture.probes.values().next().value;
  }
  return file;
}
