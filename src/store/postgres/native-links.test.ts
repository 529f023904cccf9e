import { mkdtemp, mkdir, readFile, readlink, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { platformPackageRoot, restoreNativeLinks } from './native-links.js';

describe('restoreNativeLinks', () => {
  let root: string;

  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'airlock-native-links-'));
    await mkdir(join(root, 'native', 'lib'), { recursive: true });
    await writeFile(join(root, 'native', 'lib', 'libicuuc.so.60.2'), 'library');
  });
  afterEach(() => rm(root, { recursive: true, force: true }));

  const list = (links: unknown) => writeFile(join(root, 'native', 'pg-symlinks.json'), JSON.stringify(links));

  it('creates the missing version links, relative, and leaves present ones alone', async () => {
    await list([
      { source: 'native/lib/libicuuc.so.60.2', target: 'native/lib/libicuuc.so.60' },
      { source: 'native/lib/libicuuc.so.60.2', target: 'native/lib/libicuuc.so' },
    ]);
    await symlink('libicuuc.so.60.2', join(root, 'native', 'lib', 'libicuuc.so'));
    expect(await restoreNativeLinks(root)).toBe(1);
    expect(await readlink(join(root, 'native', 'lib', 'libicuuc.so.60'))).toBe('libicuuc.so.60.2');
    expect(await readFile(join(root, 'native', 'lib', 'libicuuc.so.60'), 'utf8')).toBe('library');
    expect(await restoreNativeLinks(root)).toBe(0);
  });

  it('does nothing for a package without a link list', async () => {
    expect(await restoreNativeLinks(root)).toBe(0);
  });

  it('refuses a list naming paths outside the package', async () => {
    await list([{ source: 'native/lib/libicuuc.so.60.2', target: '../../escape.so' }]);
    await expect(restoreNativeLinks(root)).rejects.toThrow(/outside its package: \.\.\/\.\.\/escape\.so/);
  });

  it('names the file when the list is malformed', async () => {
    await list([{ source: 3 }]);
    await expect(restoreNativeLinks(root)).rejects.toThrow(/pg-symlinks\.json is not a list.*entry 0/);
  });

  it('says what to do when a link cannot be created', async () => {
    await list([{ source: 'native/lib/libicuuc.so.60.2', target: 'native/missing-dir/libicuuc.so.60' }]);
    await expect(restoreNativeLinks(root)).rejects.toThrow(/could not be created \(ENOENT\).*DATABASE_URL/);
  });

  it('finds the installed platform package and its link list', async () => {
    const installed = platformPackageRoot();
    expect(installed).toBeDefined();
    expect(
      JSON.parse(await readFile(join(installed!, 'native', 'pg-symlinks.json'), 'utf8')).length,
    ).toBeGreaterThan(0);
    // The real package's links are all present once the test harness has started Postgres.
    await expect(restoreNativeLinks()).resolves.toBe(0);
  });
});
