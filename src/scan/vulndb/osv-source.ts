import { opendir, readFile, stat } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { AppError, throwIfAborted } from '../../kernel/index.js';
import { readZipEntries } from './zip-reader.js';

/**
 * Where OSV records come from: ZIP archives (OSV's per-ecosystem `all.zip`) and directory
 * trees of `<ID>.json` files. A directory may hold both; each archive is a source of its own
 * (it is replaced as a whole when OSV republishes it), the loose JSON files of a directory
 * tree together are one source.
 */

export interface OsvSource {
  /** Identity of the source in the database: the archive's or directory's absolute path (or a URL, for downloads). */
  name: string;
  kind: 'archive' | 'directory';
  /** The archive file, or the JSON files of the directory source. */
  path: string;
  files?: string[];
}

/** One record's bytes, or why they could not be read; `entry` names the file or archive member. */
export type OsvSourceEntry =
  { entry: string; ok: true; text: string } | { entry: string; ok: false; problem: string };

/** How many JSON files are read ahead of the importer (reads overlap parsing and database writes). */
const FILE_READ_AHEAD = 16;

/** The sources under a path: the archive itself, or the archives and the JSON files of a directory tree. */
export async function findOsvSources(
  path: string,
  options: { signal?: AbortSignal } = {},
): Promise<OsvSource[]> {
  const absolute = resolve(path);
  const info = await stat(absolute).catch((error: NodeJS.ErrnoException) => {
    throw new AppError(
      'SCAN_VULNDB_SOURCE_INVALID',
      `cannot read ${absolute}: ${error.code === 'ENOENT' ? 'no such file or directory' : error.message}`,
      { cause: error },
    );
  });
  if (info.isFile()) {
    if (absolute.toLowerCase().endsWith('.zip')) return [{ name: absolute, kind: 'archive', path: absolute }];
    if (absolute.toLowerCase().endsWith('.json'))
      return [{ name: absolute, kind: 'directory', path: absolute, files: [absolute] }];
    throw new AppError(
      'SCAN_VULNDB_SOURCE_INVALID',
      `${absolute} is neither a .zip archive, a .json file nor a directory of OSV records`,
    );
  }
  const archives: string[] = [];
  const files: string[] = [];
  await walk(absolute, archives, files, options.signal);
  archives.sort();
  files.sort();
  const sources: OsvSource[] = archives.map((archive) => ({ name: archive, kind: 'archive', path: archive }));
  if (files.length > 0) sources.push({ name: absolute, kind: 'directory', path: absolute, files });
  if (sources.length === 0)
    throw new AppError(
      'SCAN_VULNDB_SOURCE_INVALID',
      `${absolute} contains no .json records and no .zip archives`,
    );
  return sources;
}

async function walk(
  directory: string,
  archives: string[],
  files: string[],
  signal?: AbortSignal,
): Promise<void> {
  for await (const entry of await opendir(directory)) {
    throwIfAborted(signal);
    if (entry.name.startsWith('.')) continue; // .git and friends
    const path = join(directory, entry.name);
    if (entry.isDirectory()) await walk(path, archives, files, signal);
    else if (entry.isFile() && entry.name.toLowerCase().endsWith('.zip')) archives.push(path);
    else if (entry.isFile() && entry.name.toLowerCase().endsWith('.json')) files.push(path);
  }
}

/** The records of a source, one at a time. */
export function readOsvSource(
  source: OsvSource,
  options: { signal?: AbortSignal } = {},
): AsyncGenerator<OsvSourceEntry> {
  return source.kind === 'archive'
    ? archiveEntries(source.path, options.signal)
    : fileEntries(source.files ?? [], options.signal);
}

async function* archiveEntries(path: string, signal?: AbortSignal): AsyncGenerator<OsvSourceEntry> {
  const accept = (name: string) => name.toLowerCase().endsWith('.json');
  for await (const item of readZipEntries(path, { signal, accept })) {
    const entry = `${basename(path)}:${item.entry.name}`;
    yield item.ok
      ? { entry, ok: true, text: item.data.toString('utf8') }
      : { entry, ok: false, problem: item.problem };
  }
}

async function* fileEntries(files: string[], signal?: AbortSignal): AsyncGenerator<OsvSourceEntry> {
  const read = (path: string): Promise<OsvSourceEntry> =>
    readFile(path, 'utf8').then(
      (text) => ({ entry: path, ok: true, text }),
      (error: NodeJS.ErrnoException) => ({
        entry: path,
        ok: false,
        problem: `cannot read it: ${error.message}`,
      }),
    );
  const queue: Promise<OsvSourceEntry>[] = [];
  let next = 0;
  while (next < files.length || queue.length > 0) {
    throwIfAborted(signal);
    while (queue.length < FILE_READ_AHEAD && next < files.length) queue.push(read(files[next++]!));
    yield await queue.shift()!;
  }
}
