import { throwIfAborted } from '../../kernel/index.js';
import { FsTree } from './fs-tree.js';
import type { ImageTotals } from './layer-meter.js';
import { resolveLimits, type LayerLimits } from './limits.js';
import { MergedFilesystem } from './merged-filesystem.js';
import { LayerNoticeCode, NoticeCollector } from './notices.js';
import { readLayer } from './read-layer.js';
import type { CapturedFilesystem, FileSelector, LayerSource } from './types.js';

export interface ReadFilesystemOptions {
  signal?: AbortSignal;
  /** Overrides of {@link DEFAULT_LAYER_LIMITS}. */
  limits?: Partial<LayerLimits>;
}

/**
 * Reads one platform's layers, base first, into the final filesystem view that detectors
 * need: the files the selectors asked for, every symlink, and which paths exist.
 *
 * Layers are streamed through decompression (by magic bytes: gzip, zstd, plain tar) and a tar
 * reader, one at a time, never written to disk and never held in memory; files nobody wants
 * are skipped as they pass. Image-spec v1.1 layer.md semantics apply: later layers replace
 * earlier entries, whiteouts and opaque directories hide lower layers' files (never their own
 * layer's), a directory replaced by a file loses its contents, and an entry below a symlinked
 * directory lands where the link points, inside the image (as containerd extracts it).
 * Hostile content (path escapes, bombs, huge files, too many entries) costs a notice, never
 * the process: see {@link LayerLimits}.
 *
 * Each regular file is offered to every selector, with its real path; a selector should name
 * every place its database may be (`/var/lib/rpm` and `/usr/lib/sysimage/rpm`), since symlinks
 * between them may only appear in a later layer. `get()` then finds the file through them.
 *
 * Hard links: a link captures what its target captured (the same bytes, the same probe
 * results, or probes run again over the target's bytes). When no selector wanted the target's
 * own path, its bytes were never kept and the link is recorded without content, with a notice.
 * GNU sparse files are not offered to selectors: their tar body is not the file's bytes.
 *
 * Rejects when a layer's blob cannot be read (the store's error, naming the layer) or when
 * `signal` aborts.
 */
export async function readFilesystem(
  layers: readonly LayerSource[],
  selectors: readonly FileSelector[],
  options: ReadFilesystemOptions = {},
): Promise<CapturedFilesystem> {
  const { signal } = options;
  const limits = resolveLimits(options.limits);
  const notices = new NoticeCollector();
  const tree = new FsTree();
  const totals: ImageTotals = { decompressed: 0, captured: 0, entries: 0 };
  const context = { tree, selectors, limits, totals, notices, signal };
  for (let index = 0; index < layers.length; index++) {
    throwIfAborted(signal);
    const outcome = await readLayer(layers[index]!, index, context);
    if (outcome === 'stop' && index + 1 < layers.length) {
      const rest =
        index + 2 === layers.length
          ? `layer ${index + 1} was`
          : `layers ${index + 1} to ${layers.length - 1} were`;
      notices.add('warning', LayerNoticeCode.LayerLimit, `${rest} not read: an image-wide limit was reached`);
      break;
    }
  }
  return new MergedFilesystem(tree, notices.list());
}
