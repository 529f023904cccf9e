import { describe, expect, it } from 'vitest';
import { readFilesystem } from './read-filesystem.js';
import { LayerNoticeCode } from './notices.js';
import { gzipOf, layerOf, tarOf, type TarEntry } from './testing/tar-fixtures.js';
import type { CapturedFilesystem, FileSelector } from './types.js';

/** Wants the contents of every file whose path matches. */
function wants(pattern: RegExp, maxBytes = 1024 * 1024): FileSelector {
  return { select: (entry) => (pattern.test(entry.path) ? { kind: 'content', maxBytes } : undefined) };
}

async function read(
  layers: TarEntry[][],
  selectors: FileSelector[] = [wants(/./)],
): Promise<CapturedFilesystem> {
  const sources = await Promise.all(layers.map(async (entries) => layerOf(gzipOf(await tarOf(entries)))));
  return readFilesystem(sources, selectors);
}

function text(fs: CapturedFilesystem, path: string): string | undefined {
  return fs.get(path)?.content?.toString('utf8');
}

describe('readFilesystem: one layer', () => {
  it('captures the wanted files with their real paths and leaves the others out', async () => {
    const fs = await read(
      [
        [
          { name: './etc/', type: 'directory' },
          { name: './etc/os-release', content: 'ID=debian\n', mode: 0o644 },
          { name: 'usr/bin/tool', content: 'binary', mode: 0o755 },
          { name: '/var/lib/dpkg/status', content: 'Package: a\n' },
        ],
      ],
      [wants(/os-release|dpkg/)],
    );
    expect([...fs.files.keys()].sort()).toEqual(['/etc/os-release', '/var/lib/dpkg/status']);
    expect(fs.files.get('/etc/os-release')).toMatchObject({ size: 10, mode: 0o644, layer: 0 });
    expect(text(fs, '/var/lib/dpkg/status')).toBe('Package: a\n');
    expect(fs.exists('/usr/bin/tool')).toBe(true);
    expect(fs.exists('/usr/bin')).toBe(true);
    expect(fs.exists('/usr/bin/other')).toBe(false);
    expect(fs.get('/usr/bin/tool')).toBeUndefined();
    expect(fs.find((path) => path.startsWith('/etc/')).map((f) => f.path)).toEqual(['/etc/os-release']);
    expect(fs.notices).toEqual([]);
  });

  it('offers every regular file to every selector with its metadata', async () => {
    const seen: string[] = [];
    const spy: FileSelector = {
      select: (entry) => {
        seen.push(`${entry.type} ${entry.path} ${entry.size} ${entry.mode.toString(8)}`);
        return undefined;
      },
    };
    await read(
      [
        [
          { name: 'a/', type: 'directory' },
          { name: 'a/f', content: 'xyz', mode: 0o755 },
          { name: 'a/l', type: 'symlink', linkname: 'f' },
          { name: 'a/p', type: 'fifo' },
        ],
      ],
      [spy],
    );
    expect(seen).toEqual(['file /a/f 3 755']);
  });
});

describe('readFilesystem: layer semantics (image-spec v1.1 layer.md)', () => {
  it('lets a later layer replace a file', async () => {
    const fs = await read([[{ name: 'etc/conf', content: 'old' }], [{ name: 'etc/conf', content: 'new' }]]);
    expect(text(fs, '/etc/conf')).toBe('new');
    expect(fs.get('/etc/conf')!.layer).toBe(1);
  });

  it('removes a lower file and a lower directory tree with whiteouts', async () => {
    const fs = await read([
      [
        { name: 'etc/keep', content: 'k' },
        { name: 'etc/gone', content: 'g' },
        { name: 'opt/app/bin/run', content: 'r' },
        { name: 'opt/app/lib/x', content: 'x' },
      ],
      [
        { name: 'etc/.wh.gone', content: '' },
        { name: 'opt/.wh.app', content: '' },
      ],
    ]);
    expect(fs.exists('/etc/keep')).toBe(true);
    expect(fs.exists('/etc/gone')).toBe(false);
    expect(fs.exists('/opt/app')).toBe(false);
    expect(fs.exists('/opt/app/bin/run')).toBe(false);
    expect(fs.exists('/opt')).toBe(true);
    expect(fs.exists('/etc/.wh.gone')).toBe(false);
    expect([...fs.files.keys()]).toEqual(['/etc/keep']);
  });

  it('does not let a whiteout hide what its own layer wrote before it', async () => {
    const fs = await read([
      [{ name: 'etc/conf', content: 'base' }],
      [
        { name: 'etc/conf', content: 'same layer' },
        { name: 'etc/.wh.conf', content: '' },
      ],
    ]);
    expect(text(fs, '/etc/conf')).toBe('same layer');
    expect(fs.get('/etc/conf')!.layer).toBe(1);
  });

  it('lets a layer delete a lower file and write it again', async () => {
    const fs = await read([
      [{ name: 'etc/conf', content: 'base' }],
      [
        { name: 'etc/.wh.conf', content: '' },
        { name: 'etc/conf', content: 'recreated' },
      ],
    ]);
    expect(text(fs, '/etc/conf')).toBe('recreated');
    expect(fs.get('/etc/conf')!.layer).toBe(1);
  });

  it("hides lower children of an opaque directory but keeps its own layer's, in any order", async () => {
    const fs = await read([
      [
        { name: 'app/old', content: 'o' },
        { name: 'app/sub/lower', content: 'l' },
        { name: 'app/gone/deep/x', content: 'x' },
      ],
      [
        { name: 'app/', type: 'directory' },
        { name: 'app/early', content: 'e' },
        { name: 'app/sub/upper', content: 'u' },
        { name: 'app/.wh..wh..opq', content: '' },
        { name: 'app/late', content: 'l' },
      ],
    ]);
    expect([...fs.files.keys()].sort()).toEqual(['/app/early', '/app/late', '/app/sub/upper']);
    expect(fs.exists('/app/old')).toBe(false);
    expect(fs.exists('/app/gone')).toBe(false);
    expect(fs.exists('/app/sub')).toBe(true);
    expect(fs.exists('/app/sub/lower')).toBe(false);
  });

  it('replaces a directory by a file (dropping its contents) and a file by a directory', async () => {
    const fs = await read([
      [
        { name: 'data/inner/file', content: 'i' },
        { name: 'conf', content: 'was a file' },
      ],
      [
        { name: 'data', content: 'now a file' },
        { name: 'conf/', type: 'directory' },
        { name: 'conf/child', content: 'c' },
      ],
    ]);
    expect(text(fs, '/data')).toBe('now a file');
    expect(fs.exists('/data/inner')).toBe(false);
    expect(fs.files.has('/data/inner/file')).toBe(false);
    expect(fs.get('/conf')).toBeUndefined();
    expect(text(fs, '/conf/child')).toBe('c');
  });

  it('keeps the contents of a directory written again', async () => {
    const fs = await read([
      [{ name: 'etc/a', content: 'a' }],
      [{ name: 'etc/', type: 'directory', mode: 0o700 }],
    ]);
    expect(text(fs, '/etc/a')).toBe('a');
  });

  it('replaces a directory by a symlink and forgets what was under it', async () => {
    const fs = await read([
      [{ name: 'var/lib/rpm/Packages', content: 'bdb' }],
      [{ name: 'var/lib/rpm', type: 'symlink', linkname: '../../usr/lib/sysimage/rpm' }],
    ]);
    expect(fs.files.has('/var/lib/rpm/Packages')).toBe(false);
    expect(fs.symlinks.get('/var/lib/rpm')).toBe('../../usr/lib/sysimage/rpm');
  });
});

describe('readFilesystem: symlinks', () => {
  const rpm = [
    [{ name: 'usr/lib/sysimage/rpm/rpmdb.sqlite', content: 'SQLite format 3' }],
    [{ name: 'var/lib/rpm', type: 'symlink' as const, linkname: '../../usr/lib/sysimage/rpm' }],
  ];

  it('resolves a symlinked directory from another layer in get()', async () => {
    const fs = await read(rpm);
    const file = fs.get('/var/lib/rpm/rpmdb.sqlite');
    expect(file?.path).toBe('/usr/lib/sysimage/rpm/rpmdb.sqlite');
    expect(file?.content?.toString()).toBe('SQLite format 3');
    expect(fs.exists('/var/lib/rpm/rpmdb.sqlite')).toBe(true);
    expect(fs.exists('/var/lib/rpm')).toBe(true);
  });

  it('follows a symlink in the last component in get() but not in exists()', async () => {
    const fs = await read([
      [
        { name: 'etc/os-release', type: 'symlink', linkname: '../usr/lib/os-release' },
        { name: 'usr/lib/os-release', content: 'ID=fedora' },
        { name: 'bin', type: 'symlink', linkname: 'usr/bin' },
        { name: 'dangling', type: 'symlink', linkname: '/nowhere' },
      ],
    ]);
    expect(text(fs, '/etc/os-release')).toBe('ID=fedora');
    expect(fs.exists('/dangling')).toBe(true);
    expect(fs.get('/dangling')).toBeUndefined();
    expect(fs.exists('/bin')).toBe(true);
    expect(fs.exists('/bin/sh')).toBe(false);
    expect(Object.fromEntries(fs.symlinks)).toEqual({
      '/etc/os-release': '../usr/lib/os-release',
      '/bin': 'usr/bin',
      '/dangling': '/nowhere',
    });
  });

  it('writes an entry below a symlinked directory of a lower layer into the link target, as containerd does', async () => {
    const fs = await read([
      [
        { name: 'usr/lib/sysimage/rpm/', type: 'directory' },
        { name: 'var/lib/rpm', type: 'symlink', linkname: '../../usr/lib/sysimage/rpm' },
      ],
      [{ name: 'var/lib/rpm/rpmdb.sqlite', content: 'db' }],
    ]);
    expect([...fs.files.keys()]).toEqual(['/usr/lib/sysimage/rpm/rpmdb.sqlite']);
    expect(text(fs, '/var/lib/rpm/rpmdb.sqlite')).toBe('db');
  });

  it('resolves entries again after their directory was replaced by a symlink in the same layer', async () => {
    const fs = await read([
      [
        { name: 'data/', type: 'directory' },
        { name: 'data/first', content: '1' },
        { name: 'data', type: 'symlink', linkname: 'srv' },
        { name: 'data/second', content: '2' },
        { name: 'data/third', content: '3' },
      ],
    ]);
    expect([...fs.files.keys()].sort()).toEqual(['/srv/second', '/srv/third']);
    expect(text(fs, '/data/third')).toBe('3');
  });

  it('keeps symlink resolution inside the image, for absolute and relative escapes', async () => {
    const fs = await read([
      [
        { name: 'etc/passwd', content: 'root:x:0:0' },
        { name: 'a/b/up', type: 'symlink', linkname: '../../../../../../etc/passwd' },
        { name: 'abs', type: 'symlink', linkname: '/../../../etc/passwd' },
        { name: 'dir', type: 'symlink', linkname: '/../..' },
      ],
    ]);
    expect(fs.get('/a/b/up')?.path).toBe('/etc/passwd');
    expect(fs.get('/abs')?.path).toBe('/etc/passwd');
    expect(fs.get('/dir/etc/passwd')?.path).toBe('/etc/passwd');
    expect(fs.get('/../../etc/passwd')?.path).toBe('/etc/passwd');
  });

  it('stops on symlink loops', async () => {
    const fs = await read([
      [
        { name: 'loop/a', type: 'symlink', linkname: 'b' },
        { name: 'loop/b', type: 'symlink', linkname: 'a' },
        { name: 'self', type: 'symlink', linkname: 'self/x' },
      ],
      [{ name: 'loop/a/file', content: 'never' }],
    ]);
    expect(fs.get('/loop/a')).toBeUndefined();
    expect(fs.exists('/loop/a')).toBe(true);
    expect(fs.exists('/loop/a/x')).toBe(false);
    expect(fs.get('/self/y')).toBeUndefined();
    expect(fs.notices).toEqual([
      expect.objectContaining({ code: LayerNoticeCode.EntryDropped, path: 'loop/a/file' }),
    ]);
  });
});

describe('readFilesystem: hard links', () => {
  it('captures a hard link to a captured file with the same bytes', async () => {
    const fs = await read([
      [
        { name: 'usr/bin/perl5.36.0', content: 'perl binary', mode: 0o755 },
        { name: 'usr/bin/perl', type: 'link', linkname: 'usr/bin/perl5.36.0' },
      ],
    ]);
    const link = fs.get('/usr/bin/perl')!;
    expect(link.content?.toString()).toBe('perl binary');
    expect(link).toMatchObject({ size: 11, mode: 0o755 });
    expect(link.content).toBe(fs.get('/usr/bin/perl5.36.0')!.content);
  });

  it('links to a file of a lower layer', async () => {
    const fs = await read([
      [{ name: 'lib/a.so', content: 'elf' }],
      [{ name: 'lib/b.so', type: 'link', linkname: './lib/a.so' }],
    ]);
    expect(text(fs, '/lib/b.so')).toBe('elf');
    expect(fs.get('/lib/b.so')!.layer).toBe(1);
  });

  it('records a wanted link whose target was not wanted without content, with a notice', async () => {
    const fs = await read(
      [
        [
          { name: 'opt/real/status', content: 'x' },
          { name: 'var/lib/dpkg/status', type: 'link', linkname: 'opt/real/status' },
        ],
      ],
      [wants(/dpkg/)],
    );
    expect(fs.files.get('/var/lib/dpkg/status')).toMatchObject({ path: '/var/lib/dpkg/status', size: 1 });
    expect(fs.files.get('/var/lib/dpkg/status')!.content).toBeUndefined();
    expect(fs.notices).toEqual([
      expect.objectContaining({ code: LayerNoticeCode.HardLinkNotCaptured, path: '/var/lib/dpkg/status' }),
    ]);
  });

  it('drops links to nothing and to directories, and links escaping the root', async () => {
    const fs = await read([
      [
        { name: 'd/', type: 'directory' },
        { name: 'l1', type: 'link', linkname: 'missing' },
        { name: 'l2', type: 'link', linkname: 'd' },
        { name: 'l3', type: 'link', linkname: '../../etc/shadow' },
      ],
    ]);
    expect(['/l1', '/l2', '/l3'].map((p) => fs.exists(p))).toEqual([false, false, false]);
    expect(fs.notices.map((n) => n.code)).toEqual(Array(3).fill(LayerNoticeCode.EntryDropped));
  });
});

describe('readFilesystem: hostile paths', () => {
  it('drops entries whose path leaves the root and keeps the rest', async () => {
    const fs = await read([
      [
        { name: '../../etc/passwd', content: 'pwned' },
        { name: './a/../../b', content: 'pwned' },
        { name: 'ok/../fine', content: 'fine' },
      ],
    ]);
    expect([...fs.files.keys()]).toEqual(['/fine']);
    expect(fs.exists('/etc/passwd')).toBe(false);
    expect(fs.exists('/etc')).toBe(false);
    expect(fs.notices.map((n) => [n.code, n.path])).toEqual([
      [LayerNoticeCode.EntryDropped, '../../etc/passwd'],
      [LayerNoticeCode.EntryDropped, './a/../../b'],
    ]);
  });

  it('drops paths that are too long or too deep', async () => {
    const deep = `${Array.from({ length: 40 }, (_, i) => `d${i}`).join('/')}/f`;
    const sources = [
      layerOf(
        gzipOf(
          await tarOf([
            { name: deep, content: 'x' },
            { name: `${'n'.repeat(300)}`, content: 'y' },
            { name: 'ok', content: 'z' },
          ]),
        ),
      ),
    ];
    const fs = await readFilesystem(sources, [wants(/./)], {
      limits: { maxPathDepth: 32, maxPathLength: 200 },
    });
    expect([...fs.files.keys()]).toEqual(['/ok']);
    expect(fs.notices.map((n) => n.message)).toEqual([
      expect.stringContaining('deeper than 32'),
      expect.stringContaining('longer than 200'),
    ]);
  });

  it('does not create a directory for a whiteout in a directory that does not exist', async () => {
    const fs = await read([
      [
        { name: 'nothing/here/.wh.x', content: '' },
        { name: 'nothing2/.wh..wh..opq', content: '' },
      ],
    ]);
    expect(fs.exists('/nothing')).toBe(false);
    expect(fs.exists('/nothing2')).toBe(false);
  });
});
