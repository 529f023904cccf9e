import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  BlobLocationCache,
  MAX_BLOB_LOCATIONS,
  blobLocationCachePath,
  openBlobLocationCache,
} from './blob-location-cache.js';

const DIGEST = `sha256:${'a'.repeat(64)}`;
const OTHER = `sha256:${'b'.repeat(64)}`;

describe('BlobLocationCache', () => {
  let dir: string;
  let path: string;
  let clock: number;
  const now = () => clock;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'airlock-blob-cache-'));
    path = join(dir, 'nested', 'blob-locations.json');
    clock = 1_000;
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('starts empty without a file, and remembers across processes, most recent first', async () => {
    const first = await BlobLocationCache.load(path, now);
    expect(await first.repositoriesHolding('registry.example', DIGEST)).toEqual([]);
    first.remember('registry.example', DIGEST, 'team/old');
    clock = 2_000;
    first.remember('registry.example', DIGEST, 'team/new');
    first.remember('other.example', DIGEST, 'elsewhere');
    await first.save();

    const second = await BlobLocationCache.load(path, now);
    expect(await second.repositoriesHolding('registry.example', DIGEST)).toEqual(['team/new', 'team/old']);
    expect(await second.repositoriesHolding('other.example', DIGEST)).toEqual(['elsewhere']);
    expect(await second.repositoriesHolding('registry.example', OTHER)).toEqual([]);
  });

  it('merges what another process saved in the meantime instead of overwriting it', async () => {
    const a = await BlobLocationCache.load(path, now);
    const b = await BlobLocationCache.load(path, now);
    a.remember('registry.example', DIGEST, 'from/a');
    b.remember('registry.example', OTHER, 'from/b');
    await a.save();
    await b.save();
    const merged = await BlobLocationCache.load(path, now);
    expect(await merged.repositoriesHolding('registry.example', DIGEST)).toEqual(['from/a']);
    expect(await merged.repositoriesHolding('registry.example', OTHER)).toEqual(['from/b']);
  });

  it(`keeps the ${MAX_BLOB_LOCATIONS} most recent sightings`, async () => {
    const cache = await BlobLocationCache.load(path, now);
    for (let i = 0; i <= MAX_BLOB_LOCATIONS; i++) {
      clock = 10_000 + i;
      cache.remember('registry.example', `sha256:${i.toString(16).padStart(64, '0')}`, 'repo');
    }
    await cache.save();
    const file = JSON.parse(await readFile(path, 'utf8')) as { locations: unknown[] };
    expect(file.locations).toHaveLength(MAX_BLOB_LOCATIONS);
    const reloaded = await BlobLocationCache.load(path, now);
    expect(await reloaded.repositoriesHolding('registry.example', `sha256:${'0'.repeat(64)}`)).toEqual([]);
    expect(
      await reloaded.repositoriesHolding(
        'registry.example',
        `sha256:${MAX_BLOB_LOCATIONS.toString(16).padStart(64, '0')}`,
      ),
    ).toEqual(['repo']);
  });

  it('treats a malformed file as empty and replaces it on save', async () => {
    await writeFile(join(dir, 'bad.json'), '{"version":1,"locations":[["a","b"],"x",["r","d","p",1]]');
    const bad = await BlobLocationCache.load(join(dir, 'bad.json'), now);
    expect(await bad.repositoriesHolding('r', 'd')).toEqual([]);
    bad.remember('r', 'd', 'fresh');
    await bad.save();
    expect(JSON.parse(await readFile(join(dir, 'bad.json'), 'utf8'))).toEqual({
      version: 1,
      locations: [['r', 'd', 'fresh', 1_000]],
    });
    await writeFile(join(dir, 'odd.json'), '{"version":1,"locations":[["a","b"],"x",["r","d","p",1]]}');
    const odd = await BlobLocationCache.load(join(dir, 'odd.json'), now);
    expect(await odd.repositoriesHolding('r', 'd')).toEqual(['p']);
    odd.remember('r', 'd', 'q');
    await odd.save();
    const file = JSON.parse(await readFile(join(dir, 'odd.json'), 'utf8')) as { locations: unknown[] };
    expect(file.locations).toEqual([
      ['r', 'd', 'q', 1_000],
      ['r', 'd', 'p', 1],
    ]);
  });

  it('writes nothing when nothing was learned', async () => {
    await (await BlobLocationCache.load(path, now)).save();
    await expect(readFile(path, 'utf8')).rejects.toThrow(/ENOENT/);
  });
});

describe('blobLocationCachePath', () => {
  it('follows AIRLOCK_CACHE_DIR, then XDG_CACHE_HOME, then HOME; "off" disables it', () => {
    expect(blobLocationCachePath({ AIRLOCK_CACHE_DIR: '/c', XDG_CACHE_HOME: '/x', HOME: '/h' })).toBe(
      '/c/blob-locations.json',
    );
    expect(blobLocationCachePath({ XDG_CACHE_HOME: '/x', HOME: '/h' })).toBe(
      '/x/airlock/blob-locations.json',
    );
    expect(blobLocationCachePath({ HOME: '/h' })).toBe('/h/.cache/airlock/blob-locations.json');
    expect(blobLocationCachePath({ AIRLOCK_CACHE_DIR: 'off', HOME: '/h' })).toBeUndefined();
    expect(blobLocationCachePath({})).toBeUndefined();
  });

  it('gives no cache when there is no place for one', () => {
    expect(openBlobLocationCache({})).toBeUndefined();
  });
});
