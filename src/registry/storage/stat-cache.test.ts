import { mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { StatCache } from './stat-cache.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'airlock-stat-cache-'));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

describe('StatCache', () => {
  it('decodes once while the file is unchanged', async () => {
    let decoded = 0;
    const cache = new StatCache(10, (bytes) => (decoded++, bytes.toString()));
    await writeFile(join(dir, 'tag'), 'one');
    expect(await cache.get(join(dir, 'tag'))).toBe('one');
    expect(await cache.get(join(dir, 'tag'))).toBe('one');
    expect(decoded).toBe(1);
  });

  it('sees a replacement by another writer (rename: same size, new inode) and a removal', async () => {
    const cache = new StatCache(10, (bytes) => bytes.toString());
    const path = join(dir, 'tag');
    await writeFile(path, 'aaa');
    expect(await cache.get(path)).toBe('aaa');
    await writeFile(join(dir, 'staging'), 'bbb');
    await rename(join(dir, 'staging'), path);
    expect(await cache.get(path)).toBe('bbb');
    await rm(path);
    expect(await cache.get(path)).toBeUndefined();
  });

  it('keeps at most its number of entries', async () => {
    const cache = new StatCache(2, (bytes) => bytes.toString());
    for (const name of ['a', 'b', 'c']) {
      await writeFile(join(dir, name), name);
      await cache.get(join(dir, name));
    }
    expect((cache as unknown as { entries: Map<string, unknown> }).entries.size).toBe(2);
  });
});
