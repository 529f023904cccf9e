import {
  captureFromTarget,
  captureStream,
  selectRequests,
  type DetectorFault,
  type FileRequests,
} from './capture.js';
import type { FsNode, FsTree } from './fs-tree.js';
import { LayerLimitError } from './layer-errors.js';
import { formatBytes } from '../../kernel/index.js';
import type { ImageTotals } from './layer-meter.js';
import type { LayerLimits } from './limits.js';
import { LayerNoticeCode, type NoticeCollector } from './notices.js';
import { ParentCache } from './parent-cache.js';
import { childPath, entryComponents, joinPath } from './paths.js';
import type { TarHeader } from './tar-header.js';
import type { BodyReader } from './tar-reader.js';
import type { EntryInfo, FileSelector } from './types.js';

/** State shared by the layers of one image. */
export interface ImageContext {
  tree: FsTree;
  selectors: readonly FileSelector[];
  limits: LayerLimits;
  totals: ImageTotals;
  notices: NoticeCollector;
}

interface Located {
  parent: FsNode;
  leaf: string;
  /** The entry's real path: its parent directory with symlinks resolved, then its own name. */
  path: string;
}

const WHITEOUT_PREFIX = '.wh.';
const OPAQUE_MARKER = '.wh..wh..opq';

/**
 * Applies one layer's tar entries to the merged tree (image-spec v1.1 layer.md) and decides,
 * entry by entry, whether the body is read or drained.
 */
export class LayerEntries {
  private readonly parents: ParentCache;

  constructor(
    private readonly image: ImageContext,
    private readonly layer: number,
  ) {
    this.parents = new ParentCache(image.tree);
  }

  readonly handle = (header: TarHeader): BodyReader | undefined => {
    const { totals, limits } = this.image;
    if (++totals.entries > limits.maxEntriesPerImage) {
      throw new LayerLimitError(
        'maxEntriesPerImage',
        'image',
        `more than ${limits.maxEntriesPerImage} tar entries in the image (maxEntriesPerImage)`,
      );
    }
    const located = this.locate(header.name);
    if (located === undefined) return undefined;
    const { parent, leaf } = located;
    if (leaf.startsWith(WHITEOUT_PREFIX)) {
      this.whiteout(parent, leaf);
      return undefined;
    }
    switch (header.type) {
      case 'directory':
        this.image.tree.addDirectory(parent, leaf, this.layer);
        return undefined;
      case 'symlink':
        this.symlink(located, header);
        return undefined;
      case 'link':
        return this.hardLink(located, header);
      case 'file':
        return this.file(located, header);
      case 'other':
        // Devices, FIFOs, GNU sparse files and types nobody defined.
        this.image.tree.addLeaf(parent, leaf, 'other', this.layer);
        return undefined;
    }
  };

  /** Normalises the entry's name and finds its parent directory, creating it when missing. */
  private locate(name: string): Located | undefined {
    const { limits } = this.image;
    if (name.length > limits.maxPathLength) {
      this.drop(
        `${name.slice(0, 120)}…`,
        `its path is longer than ${limits.maxPathLength} characters (maxPathLength)`,
      );
      return undefined;
    }
    // Directory names end with `/`.
    const end = name.length > 1 && name.endsWith('/') ? name.length - 1 : name.length;
    const slash = name.lastIndexOf('/', end - 1);
    const leaf = name.slice(slash + 1, end);
    if (leaf !== '' && leaf !== '.' && leaf !== '..') {
      const cached = this.parents.lookup(name, slash);
      if (cached !== undefined && cached.depth < limits.maxPathDepth) {
        return { parent: cached.node, leaf, path: childPath(cached.path, leaf) };
      }
    }
    return this.resolve(name, slash);
  }

  private resolve(name: string, slash: number): Located | undefined {
    const { limits, tree } = this.image;
    const components = entryComponents(name);
    if (components === undefined) {
      this.drop(name, 'its path leaves the root');
      return undefined;
    }
    if (components.length === 0) return undefined;
    if (components.length > limits.maxPathDepth) {
      this.drop(name, `its path is deeper than ${limits.maxPathDepth} directories (maxPathDepth)`);
      return undefined;
    }
    const leaf = components.pop()!;
    const isWhiteout = leaf.startsWith(WHITEOUT_PREFIX);
    // A whiteout in a directory that does not exist hides nothing, and must not create it.
    const found = tree.walk(components, {
      followFinal: true,
      createLayer: isWhiteout ? undefined : this.layer,
    });
    if (typeof found === 'string' || found.node.kind !== 'directory') {
      if (isWhiteout && found === 'missing') return undefined;
      const reason =
        found === 'loop' ? 'its parent directory is a symlink loop' : 'its parent is not a directory';
      this.drop(name, reason);
      return undefined;
    }
    const parentPath = joinPath(found.names);
    if (slash >= 0)
      this.parents.remember(name.slice(0, slash + 1), found.node, parentPath, components.length);
    return { parent: found.node, leaf, path: childPath(parentPath, leaf) };
  }

  private whiteout(parent: FsNode, leaf: string): void {
    if (leaf === OPAQUE_MARKER) this.image.tree.opaque(parent, this.layer);
    // Other `.wh..wh.` names are AUFS bookkeeping (`.wh..wh.plnk`), not whiteouts.
    else if (!leaf.startsWith(`${WHITEOUT_PREFIX}${WHITEOUT_PREFIX}`)) {
      this.image.tree.whiteout(parent, leaf.slice(WHITEOUT_PREFIX.length), this.layer);
    }
  }

  private symlink({ parent, leaf, path }: Located, header: TarHeader): void {
    const target = header.linkname ?? '';
    if (target.length > this.image.limits.maxPathLength) {
      this.drop(
        path,
        `its link target is longer than ${this.image.limits.maxPathLength} characters (maxPathLength)`,
      );
      return;
    }
    const node = this.image.tree.addLeaf(parent, leaf, 'symlink', this.layer);
    node.link = target;
    node.mode = header.mode ?? 0o777;
  }

  private file({ parent, leaf, path }: Located, header: TarHeader): BodyReader | undefined {
    const node = this.image.tree.addLeaf(parent, leaf, 'file', this.layer);
    node.size = header.size ?? 0;
    node.mode = header.mode ?? 0;
    if (this.image.selectors.length === 0) return undefined;
    const entry: EntryInfo = { path, type: 'file', size: node.size, mode: node.mode };
    const requests = selectRequests(entry, this.image.selectors, this.onFault);
    if (requests === undefined) return undefined;
    const content = this.admitContent(entry, requests) && this.reserve(entry);
    if (!content && requests.probes.length === 0) {
      node.capture = {};
      return undefined;
    }
    return (body) =>
      captureStream(body, entry, content, requests.probes, this.onFault).then((capture) => {
        node.capture = capture;
      });
  }

  /**
   * A hard link names an earlier entry of this layer or a file of a lower layer (what the
   * link would point at once extracted); either way it is that file, as it is now.
   */
  private hardLink({ parent, leaf, path }: Located, header: TarHeader): BodyReader | undefined {
    const { tree, limits } = this.image;
    const targetName = header.linkname ?? '';
    const components = targetName.length <= limits.maxPathLength ? entryComponents(targetName) : undefined;
    const found = components === undefined ? 'missing' : tree.walk(components, { followFinal: false });
    if (typeof found === 'string' || found.node.kind === 'directory') {
      this.drop(
        path,
        `it is a hard link to "${targetName.slice(0, 120)}", which is not a file of this image`,
      );
      return undefined;
    }
    const target = found.node;
    const node = tree.addLeaf(parent, leaf, target.kind === 'directory' ? 'other' : target.kind, this.layer);
    node.size = target.size;
    node.mode = target.mode;
    node.link = target.link;
    if (target.kind !== 'file' || this.image.selectors.length === 0) return undefined;
    const entry: EntryInfo = {
      path,
      type: 'hardlink',
      size: target.size,
      mode: target.mode,
      linkTarget: joinPath(found.names),
    };
    const requests = selectRequests(entry, this.image.selectors, this.onFault);
    if (requests === undefined) return undefined;
    const content = this.admitContent(entry, requests);
    if (!content && requests.probes.length === 0) {
      node.capture = {};
      return undefined;
    }
    return () =>
      captureFromTarget(target.capture, entry, content, requests.probes, this.onFault).then(
        ({ capture, missing }) => {
          node.capture = capture;
          if (missing) {
            this.image.notices.add(
              'info',
              LayerNoticeCode.HardLinkNotCaptured,
              `${path} is a hard link to ${entry.linkTarget}, which was not read when it went by; a detector wanting both paths should select the target too`,
              path,
            );
          }
        },
      );
  }

  /** Whether a content request fits the file: every content request's cap is too small otherwise. */
  private admitContent(entry: EntryInfo, requests: FileRequests): boolean {
    if (requests.maxBytes < 0) return false;
    if (entry.size <= requests.maxBytes) return true;
    this.image.notices.add(
      'warning',
      LayerNoticeCode.FileTooLarge,
      `${entry.path} is ${formatBytes(entry.size)}, more than the ${formatBytes(requests.maxBytes)} a detector reads; it was not read`,
      entry.path,
    );
    return false;
  }

  /** Charges a file's bytes to the image's capture budget, or says why it cannot. */
  private reserve(entry: EntryInfo): boolean {
    const { totals, limits } = this.image;
    if (totals.captured + entry.size <= limits.maxCapturedBytesPerImage) {
      totals.captured += entry.size;
      return true;
    }
    this.image.notices.add(
      'warning',
      LayerNoticeCode.CaptureBudget,
      `${entry.path} (${formatBytes(entry.size)}) was not read: the image's ${formatBytes(limits.maxCapturedBytesPerImage)} capture budget is spent (maxCapturedBytesPerImage)`,
      entry.path,
    );
    return false;
  }

  private drop(path: string, reason: string): void {
    this.image.notices.add(
      'warning',
      LayerNoticeCode.EntryDropped,
      `layer ${this.layer}: entry "${path}" was ignored: ${reason}`,
      path,
    );
  }

  private readonly onFault: DetectorFault = (selector, error, entry) => {
    const name = (selector as { name?: unknown }).name;
    const reason = error instanceof Error ? error.message : String(error);
    this.image.notices.add(
      'warning',
      LayerNoticeCode.ProbeFailed,
      `${typeof name === 'string' ? `detector ${name}` : 'a detector'} failed on ${entry.path}: ${reason}`,
      entry.path,
    );
  };
}
