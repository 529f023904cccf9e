import { describe, expect, it } from 'vitest';
import type { FileSelector } from '../../layers/types.js';
import { MAX_SYMLINK_HOPS, captureFilesystem, createCapturedFilesystem, resolvePath } from './captured-fs.js';

describe('resolvePath', () => {
  const links = new Map([
    ['/etc/os-release', '../usr/lib/os-release'],
    ['/var/lib/rpm', '../../usr/lib/sysimage/rpm'],
    ['/lib', 'usr/lib'],
    ['/abs', '/usr/share'],
  ]);

  it('follows relative links from the link’s directory', () => {
    expect(resolvePath('/etc/os-release', links)).toBe('/usr/lib/os-release');
  });

  it('follows links in intermediate components', () => {
    expect(resolvePath('/var/lib/rpm/rpmdb.sqlite', links)).toBe('/usr/lib/sysimage/rpm/rpmdb.sqlite');
    expect(resolvePath('/lib/apk/db/installed', links)).toBe('/usr/lib/apk/db/installed');
  });

  it('restarts at the root for absolute targets', () => {
    expect(resolvePath('/abs/doc/x', links)).toBe('/usr/share/doc/x');
  });

  it('keeps `..` from climbing above the root', () => {
    expect(resolvePath('/../../etc/./passwd', new Map())).toBe('/etc/passwd');
    expect(resolvePath('/a/link', new Map([['/a/link', '../../../../etc/shadow']]))).toBe('/etc/shadow');
  });

  it('gives up on loops', () => {
    expect(
      resolvePath(
        '/a',
        new Map([
          ['/a', '/b'],
          ['/b', '/a'],
        ]),
      ),
    ).toBeUndefined();
    const chain = new Map<string, string>();
    for (let i = 0; i <= MAX_SYMLINK_HOPS; i++) chain.set(`/l${i}`, `/l${i + 1}`);
    expect(resolvePath('/l0', chain)).toBeUndefined();
    chain.delete(`/l${MAX_SYMLINK_HOPS}`);
    expect(resolvePath('/l0', chain)).toBe(`/l${MAX_SYMLINK_HOPS}`);
  });
});

describe('MemoryCapturedFilesystem', () => {
  const fs = createCapturedFilesystem({
    files: { '/usr/lib/os-release': 'ID=debian\n', 'var/lib/dpkg/status.d/libc6': 'Package: libc6\n' },
    symlinks: { '/etc/os-release': '../usr/lib/os-release', '/bin': 'usr/bin', '/usr/bin/sh': 'dash' },
    paths: ['/usr/bin/dash'],
  });

  it('gets files through symlinks', () => {
    expect(fs.get('/etc/os-release')?.content?.toString()).toBe('ID=debian\n');
    expect(fs.get('/etc/os-release')?.path).toBe('/usr/lib/os-release');
    expect(fs.get('/etc/missing')).toBeUndefined();
  });

  it('knows which paths exist, including parents and links', () => {
    expect(fs.exists('/var/lib/dpkg/status.d')).toBe(true);
    expect(fs.exists('/bin/sh')).toBe(true);
    expect(fs.exists('/usr/bin/dash')).toBe(true);
    expect(fs.exists('/bin/bash')).toBe(false);
    expect(fs.exists('/var/lib/dpkg/status')).toBe(false);
  });

  it('finds captured files by path', () => {
    expect(fs.find((path) => path.startsWith('/var/')).map((f) => f.path)).toEqual([
      '/var/lib/dpkg/status.d/libc6',
    ]);
  });
});

describe('captureFilesystem', () => {
  it('captures what selectors ask for, within their caps, and runs probes', async () => {
    const selector: FileSelector = {
      select(entry) {
        if (entry.path === '/small') return { kind: 'content', maxBytes: 10 };
        if (entry.path === '/big') return { kind: 'content', maxBytes: 3 };
        if (entry.path === '/probed') {
          return {
            kind: 'probe',
            probe: async (chunks) => {
              let total = 0;
              for await (const chunk of chunks) total += chunk.length;
              return total;
            },
          };
        }
        return undefined;
      },
    };
    const fs = await captureFilesystem(
      {
        files: {
          '/small': 'hello',
          '/big': 'too large',
          '/probed': new Uint8Array(200_000),
          '/ignored': 'x',
        },
      },
      [selector],
    );
    expect(fs.get('/small')?.content?.toString()).toBe('hello');
    expect(fs.get('/big')).toMatchObject({ path: '/big', size: 9 });
    expect(fs.get('/big')?.content).toBeUndefined();
    expect(fs.notices).toEqual([expect.objectContaining({ code: 'SCAN_FILE_TOO_LARGE', path: '/big' })]);
    expect(fs.get('/probed')?.probe).toBe(200_000);
    expect(fs.get('/probed')?.content).toBeUndefined();
    expect(fs.get('/ignored')).toBeUndefined();
    expect(fs.exists('/ignored')).toBe(true);
  });
});
