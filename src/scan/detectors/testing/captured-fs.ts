import type { ScanNotice } from '../../inventory/types.js';
import type {
  CaptureRequest,
  CapturedFile,
  CapturedFilesystem,
  EntryInfo,
  FileSelector,
} from '../../layers/types.js';

/**
 * An in-memory {@link CapturedFilesystem} for detector tests: detectors get exactly the
 * shape the layer reader produces (captured files, symlinks, the set of paths present)
 * without tar streams. Symlinks resolve like the kernel does: in every path component,
 * relative to the link's directory, `..` stopping at `/`, at most {@link MAX_SYMLINK_HOPS}.
 */

/** Linux gives up with ELOOP after 40 links (MAXSYMLINKS); a loop in an image is not followed further. */
export const MAX_SYMLINK_HOPS = 40;

/** Chunk size probes see, so that probes are exercised across chunk boundaries. */
const PROBE_CHUNK_BYTES = 64 * 1024;

/** One regular file of a test filesystem. */
export interface MemoryFileSpec {
  content: string | Uint8Array;
  mode?: number;
  /** Layer index (0 = base); 0 by default. */
  layer?: number;
}

export interface MemoryFilesystemSpec {
  /** Regular files by absolute path (a missing leading `/` is added). */
  files?: Record<string, string | Uint8Array | MemoryFileSpec>;
  /** Symlinks by absolute path, with the target as stored in the tar (absolute or relative). */
  symlinks?: Record<string, string>;
  /** Further paths that exist without being captured (directories, binaries such as `/bin/sh`). */
  paths?: string[];
  notices?: ScanNotice[];
}

export interface MemoryFilesystemInit {
  files?: Iterable<CapturedFile>;
  symlinks?: Iterable<[string, string]>;
  paths?: Iterable<string>;
  notices?: ScanNotice[];
}

export class MemoryCapturedFilesystem implements CapturedFilesystem {
  readonly files: ReadonlyMap<string, CapturedFile>;
  readonly symlinks: ReadonlyMap<string, string>;
  readonly notices: ScanNotice[];
  private readonly present = new Set<string>(['/']);

  constructor(init: MemoryFilesystemInit = {}) {
    const files = new Map<string, CapturedFile>();
    for (const file of init.files ?? [])
      files.set(normalizePath(file.path), { ...file, path: normalizePath(file.path) });
    const symlinks = new Map<string, string>();
    for (const [path, target] of init.symlinks ?? []) symlinks.set(normalizePath(path), target);
    this.files = files;
    this.symlinks = symlinks;
    this.notices = init.notices ?? [];
    for (const path of [...files.keys(), ...symlinks.keys(), ...[...(init.paths ?? [])].map(normalizePath)]) {
      this.addWithParents(path);
    }
  }

  exists(path: string): boolean {
    const parent = resolvePath(parentOf(normalizePath(path)), this.symlinks);
    if (parent === undefined) return false;
    const name = baseName(normalizePath(path));
    const direct = name === '' ? parent : joinPath(parent, name);
    if (this.present.has(direct)) return true;
    const resolved = resolvePath(path, this.symlinks);
    return resolved !== undefined && this.present.has(resolved);
  }

  get(path: string): CapturedFile | undefined {
    const resolved = resolvePath(path, this.symlinks);
    return resolved === undefined ? undefined : this.files.get(resolved);
  }

  find(predicate: (path: string) => boolean): CapturedFile[] {
    return [...this.files.values()].filter((file) => predicate(file.path));
  }

  private addWithParents(path: string): void {
    let current = path;
    while (current !== '/' && !this.present.has(current)) {
      this.present.add(current);
      current = parentOf(current);
    }
  }
}

/** A filesystem in which every given file is captured with its whole content. */
export function createCapturedFilesystem(spec: MemoryFilesystemSpec): MemoryCapturedFilesystem {
  const files = Object.entries(spec.files ?? {}).map(([path, value]) => {
    const file = toFileSpec(value);
    const content = toBuffer(file.content);
    return { path, size: content.length, mode: file.mode ?? 0o644, content, layer: file.layer ?? 0 };
  });
  return new MemoryCapturedFilesystem({
    files,
    symlinks: Object.entries(spec.symlinks ?? {}),
    paths: spec.paths,
    notices: spec.notices ? [...spec.notices] : [],
  });
}

/**
 * A filesystem captured the way the layer reader captures one: every regular file is offered
 * to the selectors; a `content` request captures the bytes when they fit its cap (the largest
 * cap wins when several detectors ask), otherwise the file is listed with its size and no
 * content and a `SCAN_FILE_TOO_LARGE` warning is added; a `probe` request runs the probe over
 * the bytes.
 * Files no selector wants are present but not captured.
 */
export async function captureFilesystem(
  spec: MemoryFilesystemSpec,
  selectors: readonly FileSelector[],
): Promise<MemoryCapturedFilesystem> {
  const captured: CapturedFile[] = [];
  const uncaptured: string[] = [...(spec.paths ?? [])];
  const notices: ScanNotice[] = spec.notices ? [...spec.notices] : [];
  for (const [rawPath, value] of Object.entries(spec.files ?? {})) {
    const file = toFileSpec(value);
    const content = toBuffer(file.content);
    const entry: EntryInfo = {
      path: normalizePath(rawPath),
      type: 'file',
      size: content.length,
      mode: file.mode ?? 0o644,
    };
    const requests = selectors
      .map((selector) => selector.select(entry))
      .filter((r): r is CaptureRequest => r !== undefined);
    const result = await applyRequests(entry, content, requests, notices);
    if (result === undefined) uncaptured.push(entry.path);
    else captured.push({ ...result, layer: file.layer ?? 0 });
  }
  return new MemoryCapturedFilesystem({
    files: captured,
    symlinks: Object.entries(spec.symlinks ?? {}),
    paths: uncaptured,
    notices,
  });
}

async function applyRequests(
  entry: EntryInfo,
  content: Buffer,
  requests: CaptureRequest[],
  notices: ScanNotice[],
): Promise<Omit<CapturedFile, 'layer'> | undefined> {
  if (requests.length === 0) return undefined;
  const file: Omit<CapturedFile, 'layer'> = { path: entry.path, size: entry.size, mode: entry.mode };
  const caps = requests.flatMap((r) => (r.kind === 'content' ? [r.maxBytes] : []));
  if (caps.length > 0) {
    const cap = Math.max(...caps);
    if (content.length <= cap) file.content = content;
    else {
      notices.push({
        level: 'warning',
        code: 'SCAN_FILE_TOO_LARGE',
        path: entry.path,
        message: `${entry.path} is ${content.length} bytes, more than the ${cap} bytes a detector reads; not read`,
      });
    }
  }
  const probe = requests.find((r) => r.kind === 'probe');
  if (probe) file.probe = await probe.probe(chunksOf(content), entry);
  return file;
}

async function* chunksOf(content: Buffer): AsyncIterable<Buffer> {
  for (let offset = 0; offset < content.length; offset += PROBE_CHUNK_BYTES) {
    yield content.subarray(offset, offset + PROBE_CHUNK_BYTES);
  }
}

/**
 * The path a lookup of `path` ends at after following symlinks in every component, or
 * undefined when the links loop. Paths that do not exist resolve to themselves.
 */
export function resolvePath(path: string, symlinks: ReadonlyMap<string, string>): string | undefined {
  const pending = normalizePath(path).split('/').filter(Boolean);
  const resolved: string[] = [];
  let hops = 0;
  while (pending.length > 0) {
    const part = pending.shift()!;
    if (part === '.') continue;
    if (part === '..') {
      resolved.pop();
      continue;
    }
    resolved.push(part);
    const target = symlinks.get(`/${resolved.join('/')}`);
    if (target === undefined) continue;
    if (++hops > MAX_SYMLINK_HOPS) return undefined;
    resolved.pop();
    if (target.startsWith('/')) resolved.length = 0;
    pending.unshift(...target.split('/').filter(Boolean));
  }
  return `/${resolved.join('/')}`;
}

function normalizePath(path: string): string {
  const parts: string[] = [];
  for (const part of path.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') parts.pop();
    else parts.push(part);
  }
  return `/${parts.join('/')}`;
}

function parentOf(path: string): string {
  const index = path.lastIndexOf('/');
  return index <= 0 ? '/' : path.slice(0, index);
}

function baseName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

function joinPath(dir: string, name: string): string {
  return dir === '/' ? `/${name}` : `${dir}/${name}`;
}

function toFileSpec(value: string | Uint8Array | MemoryFileSpec): MemoryFileSpec {
  return typeof value === 'string' || value instanceof Uint8Array ? { content: value } : value;
}

function toBuffer(content: string | Uint8Array): Buffer {
  return typeof content === 'string' ? Buffer.from(content, 'utf8') : Buffer.from(content);
}
