import { mkdir, readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Logger } from '../kernel/index.js';
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

  private constructor(
    readonly path: string,
    private readonly now: () => number,
  ) {}

  /** Loads the file at `path`; a missing or malformed file starts an empty cache. */
  static async load(path: string, now: () => number = Date.now): Promise<BlobLocationCache> {
    const cache = new BlobLocationCache(path, now);
    for (const sighting of await readSightings(path)) cache.add(sighting);
    return cache;
  }

  repositoriesHolding(registry: string, digest: string): string[] {
    const repositories = this.seen.get(`${registry}|${digest}`);
    if (!repositories) return [];
    return [...repositories.entries()].sort((a, b) => b[1] - a[1]).map(([repository]) => repository);
  }

  remember(registry: string, digest: string, repository: string): void {
    this.add([registry, digest, repository, this.now()]);
    this.changed = true;
  }

  /** Writes what this process learned, merged with the file as it is now (other processes write it too). */
  async save(): Promise<void> {
    if (!this.changed) return;
    for (const sighting of await readSightings(this.path)) this.add(sighting);
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

/** The cache for this environment, or undefined when it has no place; never throws. */
export async function openBlobLocationCache(
  env: Env,
  logger?: Logger,
): Promise<BlobLocationCache | undefined> {
  const path = blobLocationCachePath(env);
  if (!path) return undefined;
  try {
    return await BlobLocationCache.load(path);
  } catch (error) {
    logger?.debug({ path, err: (error as Error).message }, 'blob location cache not used');
    return undefined;
  }
}

async function readSightings(path: string): Promise<Sighting[]> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    return [];
  }
  try {
    const parsed = JSON.parse(text) as Partial<CacheFile>;
    if (parsed.version !== 1 || !Array.isArray(parsed.locations)) return [];
    return parsed.locations.filter(isSighting);
  } catch {
    return [];
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
