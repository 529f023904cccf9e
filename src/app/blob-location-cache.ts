import { mkdir, readFile, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { BlobLocationHints } from '../oci/copy/index.js';
import { type Env, resolveHome, writeFileAtomic } from '../oci/remote/credentials/index.js';

/** How many (registry, digest, repository) sightings the file keeps: the most recent ones. */
export const MAX_BLOB_LOCATIONS = 20_000;

/** A sighting: `[registry, digest, repository, seen (ms since the epoch)]`. */
type Sighting = [string, string, string, number];

interface CacheFile {
  version: 1;
  locations: Sighting[];
}

/**
 * Where blobs were seen by earlier copies — the counterpart of skopeo's blob-info cache — so
 * that a copy into a new repository mounts the layers another repository of the same
 * registry already holds instead of uploading them again. A JSON file in Airlock's cache
 * directory, bounded to the {@link MAX_BLOB_LOCATIONS} most recent sightings, merged with
 * what other processes wrote when it is saved. It is only ever a hint: a missing, unreadable
 * or stale file costs refused mounts, never a wrong copy.
 */
export class BlobLocationCache implements BlobLocationHints {
  /** `registry|digest` → repository → when it was last seen there. */
  private readonly seen = new Map<string, Map<string, number>>();
  private changed = false;
  /** The file read in the background: a copy does not wait for it before it starts. */
  private readonly loaded: Promise<FileState>;

  private constructor(
    readonly path: string,
    private readonly now: () => number,
  ) {
    this.loaded = readFileState(path).then((state) => {
      // Sightings remembered before the file was read merge with it: the newer time wins.
      for (const sighting of state.sightings) this.add(sighting);
      return state;
    });
  }

  /** Opens the cache at `path`, reading it in the background; a missing or malformed file is an empty cache. */
  static open(path: string, now: () => number = Date.now): BlobLocationCache {
    return new BlobLocationCache(path, now);
  }

  /** {@link open}, once the file has been read. */
  static async load(path: string, now: () => number = Date.now): Promise<BlobLocationCache> {
    const cache = BlobLocationCache.open(path, now);
    await cache.loaded;
    return cache;
  }

  async repositoriesHolding(registry: string, digest: string): Promise<string[]> {
    await this.loaded;
    const repositories = this.seen.get(`${registry}|${digest}`);
    if (!repositories) return [];
    return [...repositories.entries()].sort((a, b) => b[1] - a[1]).map(([repository]) => repository);
  }

  remember(registry: string, digest: string, repository: string): void {
    this.add([registry, digest, repository, this.now()]);
    this.changed = true;
  }

  /**
   * Writes what this process learned, merged with what other processes wrote to the file
   * since it was read (re-read only when it changed).
   */
  async save(): Promise<void> {
    const before = await this.loaded;
    if (!this.changed) return;
    const now = await readFileStamp(this.path);
    if (now !== before.stamp)
      for (const sighting of (await readFileState(this.path)).sightings) this.add(sighting);
    const locations: Sighting[] = [];
    for (const [key, repositories] of this.seen) {
      const [registry, digest] = splitKey(key);
      for (const [repository, when] of repositories) locations.push([registry, digest, repository, when]);
    }
    locations.sort((a, b) => b[3] - a[3]);
    const file: CacheFile = { version: 1, locations: locations.slice(0, MAX_BLOB_LOCATIONS) };
    await mkdir(dirname(this.path), { recursive: true });
    await writeFileAtomic(this.path, `${JSON.stringify(file)}\n`, { mode: 0o644 });
    this.changed = false;
  }

  private add([registry, digest, repository, when]: Sighting): void {
    const key = `${registry}|${digest}`;
    let repositories = this.seen.get(key);
    if (!repositories) {
      repositories = new Map();
      this.seen.set(key, repositories);
    }
    if ((repositories.get(repository) ?? -1) < when) repositories.set(repository, when);
  }
}

/**
 * `$AIRLOCK_CACHE_DIR/blob-locations.json`, else `$XDG_CACHE_HOME/airlock/…`, else
 * `~/.cache/airlock/…`; undefined (no cache) when none is known or `AIRLOCK_CACHE_DIR` is set
 * to `off`.
 */
export function blobLocationCachePath(env: Env): string | undefined {
  const own = env.AIRLOCK_CACHE_DIR?.trim();
  if (own === 'off') return undefined;
  if (own) return join(own, 'blob-locations.json');
  const xdg = env.XDG_CACHE_HOME?.trim();
  if (xdg) return join(xdg, 'airlock', 'blob-locations.json');
  const home = resolveHome({ env });
  return home ? join(home, '.cache', 'airlock', 'blob-locations.json') : undefined;
}

/** The cache for this environment (read in the background), or undefined when it has no place. */
export function openBlobLocationCache(env: Env): BlobLocationCache | undefined {
  const path = blobLocationCachePath(env);
  return path ? BlobLocationCache.open(path) : undefined;
}

interface FileState {
  sightings: Sighting[];
  /** Size and modification time when read; `''` when there was no file. */
  stamp: string;
}

async function readFileStamp(path: string): Promise<string> {
  return stat(path).then(
    (info) => `${info.size}:${info.mtimeMs}`,
    () => '',
  );
}

/** The file's sightings; a missing or malformed file has none. */
async function readFileState(path: string): Promise<FileState> {
  const stamp = await readFileStamp(path);
  const text = stamp === '' ? undefined : await readFile(path, 'utf8').catch(() => undefined);
  if (text === undefined) return { sightings: [], stamp };
  try {
    const parsed = JSON.parse(text) as Partial<CacheFile>;
    if (parsed.version !== 1 || !Array.isArray(parsed.locations)) return { sightings: [], stamp };
    return { sightings: parsed.locations.filter(isSighting), stamp };
  } catch {
    return { sightings: [], stamp };
  }
}

function isSighting(value: unknown): value is Sighting {
  return (
    Array.isArray(value) &&
    value.length === 4 &&
    typeof value[0] === 'string' &&
    typeof value[1] === 'string' &&
    typeof value[2] === 'string' &&
    typeof value[3] === 'number'
  );
}

function splitKey(key: string): [string, string] {
  const bar = key.indexOf('|');
  return [key.slice(0, bar), key.slice(bar + 1)];
}
