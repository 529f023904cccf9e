import type { Readable } from 'node:stream';
import type { Descriptor } from '../../oci/manifest/index.js';
import type { ScanNotice } from '../inventory/types.js';

/**
 * One layer of an image as the layer reader consumes it: its descriptor (for notices) and a way
 * to open the blob, so that callers can read from any content store (registry, OCI layout,
 * memory) and the reader opens each layer only when it gets to it.
 */
export interface LayerSource {
  descriptor: Descriptor;
  open(signal?: AbortSignal): Promise<Readable>;
}

/** A tar entry's metadata as the layer reader passes it to detectors deciding what to capture. */
export interface EntryInfo {
  /** Absolute, normalised path in the image (`/var/lib/dpkg/status`), never containing `..`. */
  path: string;
  type: 'file' | 'directory' | 'symlink' | 'hardlink' | 'other';
  size: number;
  mode: number;
  /** Symlink or hard-link target as stored in the tar. */
  linkTarget?: string;
}

/**
 * How a detector wants a file: `content` (the bytes, up to a size cap) or a `probe` that
 * sees the stream and returns a small result (e.g. Go build info found inside a large binary),
 * so that large files are never held in memory.
 */
export type CaptureRequest =
  | { kind: 'content'; maxBytes: number }
  | { kind: 'probe'; probe: (chunks: AsyncIterable<Buffer>, entry: EntryInfo) => Promise<unknown> };

/** Detectors declare the files they want; the reader calls `select` for every regular file. */
export interface FileSelector {
  select(entry: EntryInfo): CaptureRequest | undefined;
}

/** A file of the final (merged) filesystem view that a detector asked for. */
export interface CapturedFile {
  path: string;
  size: number;
  mode: number;
  /**
   * Bytes when captured as content. Absent when the file is larger than every `maxBytes` asked
   * for or the image's capture budget was spent; a notice then says so.
   */
  content?: Buffer;
  /**
   * The probe's result when exactly one selector probed the file. When several did (a Go and a
   * Rust detector both probing executables), this is undefined: read `probes` by selector.
   */
  probe?: unknown;
  /** Every probe's result, keyed by the selector that asked for it. */
  probes?: ReadonlyMap<FileSelector, unknown>;
  /** Index of the layer the file comes from (0 = base). */
  layer: number;
}

/**
 * The merged filesystem after all layers, restricted to what detectors asked for, plus
 * the symlinks (so that detectors can resolve `/var/lib/rpm` → `/usr/lib/sysimage/rpm`) and
 * the paths present (to answer "is there a shell?").
 */
export interface CapturedFilesystem {
  files: ReadonlyMap<string, CapturedFile>;
  symlinks: ReadonlyMap<string, string>;
  /** Whether a path exists in the final view (any type). */
  exists(path: string): boolean;
  /** A captured file by path, following symlinks in any component. */
  get(path: string): CapturedFile | undefined;
  /** Captured files whose path matches. */
  find(predicate: (path: string) => boolean): CapturedFile[];
  notices: ScanNotice[];
}
