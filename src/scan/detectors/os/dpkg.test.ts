import { describe, expect, it } from 'vitest';
import {
  DEBIAN_12_STANZAS as S,
  DISTROLESS_BASE_FILES,
  DISTROLESS_LIBSSL3,
  DUAL_LICENSE_COPYRIGHT,
  FREE_FORM_COPYRIGHT,
  OPENSSL_COPYRIGHT,
  dpkgStatus,
  md5sums,
} from '../../../../test/fixtures/dpkg-status.js';
import type { OsInfo } from '../../inventory/types.js';
import { captureFilesystem, type MemoryFilesystemSpec } from '../testing/captured-fs.js';
import { createDpkgDetector, dpkgDetector } from './dpkg.js';
import { parseDep5Licenses } from './dpkg-copyright.js';
import { isInstalledStatus, parseDpkgStatus, parseSourceField } from './dpkg-status.js';

const DEBIAN_12: OsInfo = { id: 'debian', versionId: '12', versionCodename: 'bookworm', idLike: [] };
const UBUNTU_2204: OsInfo = {
  id: 'ubuntu',
  versionId: '22.04',
  versionCodename: 'jammy',
  idLike: ['debian'],
};

async function detect(
  spec: MemoryFilesystemSpec,
  { os = DEBIAN_12 as OsInfo | null, detector = dpkgDetector } = {},
) {
  const fs = await captureFilesystem(spec, [detector]);
  return detector.detect({ fs, os: os ?? undefined, architecture: 'amd64' });
}

describe('parseDpkgStatus', () => {
  it('reads name, version, architecture and source of installed stanzas only', () => {
    const text = dpkgStatus([S.libc6, S.cronRemoved, S.bash, S.zlib1g]);
    const { records, invalid } = parseDpkgStatus(text, { statusOptional: false });
    expect(invalid).toEqual([]);
    expect(records.map(({ line: _line, ...rest }) => rest)).toEqual([
      { name: 'libc6', version: '2.36-9+deb12u4', architecture: 'amd64', source: { name: 'glibc' } },
      {
        name: 'bash',
        version: '5.2.15-2+b2',
        architecture: 'amd64',
        source: { name: 'bash', version: '5.2.15-2' },
      },
      { name: 'zlib1g', version: '1:1.2.13.dfsg-1', architecture: 'amd64', source: { name: 'zlib' } },
    ]);
  });

  it('reports stanzas without Package or Version with their line', () => {
    const text = `${S.zlib1g}\nStatus: install ok installed\nPackage: broken\nArchitecture: amd64\n`;
    const { records, invalid } = parseDpkgStatus(text, { statusOptional: false });
    expect(records.map((r) => r.name)).toEqual(['zlib1g']);
    expect(invalid).toEqual([
      { line: S.zlib1g.split('\n').length + 1, reason: 'stanza of broken has no Version field' },
    ]);
  });

  it('needs a Status in the status file but not in status.d files', () => {
    expect(parseDpkgStatus(DISTROLESS_LIBSSL3, { statusOptional: false }).records).toEqual([]);
    expect(parseDpkgStatus(DISTROLESS_LIBSSL3, { statusOptional: true }).records).toHaveLength(1);
  });

  it.each([
    ['install ok installed', true],
    ['hold ok installed', true],
    ['deinstall ok installed', true],
    ['install ok unpacked', true],
    ['install ok triggers-pending', true],
    ['deinstall ok config-files', false],
    ['purge ok not-installed', false],
    ['install reinstreq half-installed', false],
    ['installed', false],
  ])('treats Status "%s" as installed: %s', (status, expected) => {
    expect(isInstalledStatus(status)).toBe(expected);
  });

  it.each([
    ['glibc', { name: 'glibc' }],
    ['glibc (2.36-9+deb12u4)', { name: 'glibc', version: '2.36-9+deb12u4' }],
    ['gcc-12 ( 12.2.0-14 )', { name: 'gcc-12', version: '12.2.0-14' }],
    ['  ', undefined],
  ])('parses Source "%s"', (value, expected) => {
    expect(parseSourceField(value)).toEqual(expected);
  });
});

describe('parseDep5Licenses', () => {
  it('reads the licences Files paragraphs name, in order, once each', () => {
    expect(parseDep5Licenses(OPENSSL_COPYRIGHT)).toEqual(['Apache-2.0']);
    expect(parseDep5Licenses(DUAL_LICENSE_COPYRIGHT)).toEqual(['BSD-3-clause or GPL-2', 'GPL-2+']);
  });

  it('reads nothing from free-form copyright files', () => {
    expect(parseDep5Licenses(FREE_FORM_COPYRIGHT)).toEqual([]);
    expect(parseDep5Licenses('License: MIT\n')).toEqual([]);
  });
});

describe('dpkgDetector', () => {
  it('inventories a Debian 12 status database with purls, sources and licences', async () => {
    const result = await detect({
      files: {
        '/var/lib/dpkg/status': dpkgStatus([
          S.baseFiles,
          S.bash,
          S.libc6,
          S.libc6i386,
          S.libssl3,
          S.zlib1g,
          S.cronRemoved,
        ]),
        '/usr/share/doc/libssl3/copyright': OPENSSL_COPYRIGHT,
        '/usr/share/doc/zlib1g/copyright': FREE_FORM_COPYRIGHT,
      },
    });
    expect(result.notices).toEqual([]);
    expect(result.packages.map((p) => p.purl)).toEqual([
      'pkg:deb/debian/base-files@12.4+deb12u5?arch=amd64&distro=debian-12',
      'pkg:deb/debian/bash@5.2.15-2+b2?arch=amd64&distro=debian-12&upstream=bash%405.2.15-2',
      'pkg:deb/debian/libc6@2.36-9+deb12u4?arch=amd64&distro=debian-12&upstream=glibc',
      'pkg:deb/debian/libc6@2.36-9+deb12u4?arch=i386&distro=debian-12&upstream=glibc',
      'pkg:deb/debian/libssl3@3.0.11-1~deb12u2?arch=amd64&distro=debian-12&upstream=openssl',
      'pkg:deb/debian/zlib1g@1:1.2.13.dfsg-1?arch=amd64&distro=debian-12&upstream=zlib',
    ]);
    const libssl3 = result.packages.find((p) => p.name === 'libssl3');
    expect(libssl3).toEqual({
      type: 'deb',
      name: 'libssl3',
      version: '3.0.11-1~deb12u2',
      purl: expect.any(String),
      source: { name: 'openssl' },
      licenses: ['Apache-2.0'],
      architecture: 'amd64',
      locations: ['/var/lib/dpkg/status', '/usr/share/doc/libssl3/copyright'],
    });
    const zlib = result.packages.find((p) => p.name === 'zlib1g');
    expect(zlib?.licenses).toBeUndefined();
    expect(zlib?.locations).toEqual(['/var/lib/dpkg/status']);
    expect(result.packages.find((p) => p.name === 'bash')?.source).toEqual({
      name: 'bash',
      version: '5.2.15-2',
    });
    expect(result.packages.find((p) => p.name === 'base-files')?.source).toEqual({ name: 'base-files' });
  });

  it('writes Ubuntu purls with the Ubuntu namespace and release', async () => {
    const result = await detect({ files: { '/var/lib/dpkg/status': S.zlib1g } }, { os: UBUNTU_2204 });
    expect(result.packages[0]?.purl).toBe(
      'pkg:deb/ubuntu/zlib1g@1:1.2.13.dfsg-1?arch=amd64&distro=ubuntu-22.04&upstream=zlib',
    );
  });

  it('reads licences through a symlinked doc directory', async () => {
    const result = await detect({
      files: {
        '/var/lib/dpkg/status': S.libssl3,
        '/usr/share/doc/openssl-common/copyright': DUAL_LICENSE_COPYRIGHT,
      },
      symlinks: { '/usr/share/doc/libssl3': 'openssl-common' },
    });
    expect(result.packages[0]?.licenses).toEqual(['BSD-3-clause or GPL-2', 'GPL-2+']);
    expect(result.packages[0]?.locations).toContain('/usr/share/doc/openssl-common/copyright');
  });

  it('reads distroless status.d files and skips their md5sums', async () => {
    const result = await detect(
      {
        files: {
          '/var/lib/dpkg/status.d/libssl3': DISTROLESS_LIBSSL3,
          '/var/lib/dpkg/status.d/libssl3.md5sums': md5sums(['usr/lib/x86_64-linux-gnu/libssl.so.3']),
          '/var/lib/dpkg/status.d/base': `${DISTROLESS_BASE_FILES}\n${S.zlib1g}`,
        },
      },
      { os: { ...DEBIAN_12, distroless: true } },
    );
    expect(result.notices).toEqual([]);
    expect(result.packages.map((p) => [p.name, p.version, p.locations[0]])).toEqual([
      ['base-files', '12.4+deb12u5', '/var/lib/dpkg/status.d/base'],
      ['zlib1g', '1:1.2.13.dfsg-1', '/var/lib/dpkg/status.d/base'],
      ['libssl3', '3.0.11-1~deb12u2', '/var/lib/dpkg/status.d/libssl3'],
    ]);
  });

  it('falls back to the image architecture and leaves out the distro without an OS', async () => {
    const stanza = 'Package: tzdata\nStatus: install ok installed\nVersion: 2024a-0+deb12u1\n';
    const result = await detect({ files: { '/var/lib/dpkg/status': stanza } }, { os: null });
    expect(result.packages[0]).toMatchObject({
      architecture: 'amd64',
      purl: 'pkg:deb/debian/tzdata@2024a-0+deb12u1?arch=amd64',
    });
  });

  it('says when the status database is larger than its cap', async () => {
    const detector = createDpkgDetector({ statusMaxBytes: 100 });
    const result = await detect(
      { files: { '/var/lib/dpkg/status': dpkgStatus([S.libc6, S.zlib1g]) } },
      { detector },
    );
    expect(result.packages).toEqual([]);
    expect(result.notices).toEqual([
      expect.objectContaining({
        level: 'warning',
        code: 'SCAN_PACKAGE_DB_NOT_READ',
        path: '/var/lib/dpkg/status',
      }),
    ]);
  });

  it('reports a status database captured in part', async () => {
    const text = dpkgStatus([S.libc6, S.zlib1g]);
    const content = Buffer.from(text).subarray(0, S.libc6.length + 1);
    const fs = await captureFilesystem({}, []);
    const truncated = {
      ...fs,
      get: (path: string) =>
        path === '/var/lib/dpkg/status'
          ? { path, size: text.length, mode: 0o644, layer: 0, content }
          : undefined,
      find: () => [],
      exists: (path: string) => path === '/var/lib/dpkg/status',
    };
    const result = await dpkgDetector.detect({ fs: truncated, os: DEBIAN_12 });
    expect(result.packages.map((p) => p.name)).toEqual(['libc6']);
    expect(result.notices).toEqual([expect.objectContaining({ code: 'SCAN_PACKAGE_DB_TRUNCATED' })]);
  });

  it('does not capture copyright files when licences are off, nor files outside its paths', async () => {
    const detector = createDpkgDetector({ licenses: false });
    const entry = (path: string) => ({ path, type: 'file' as const, size: 10, mode: 0o644 });
    expect(detector.select(entry('/usr/share/doc/libssl3/copyright'))).toBeUndefined();
    expect(dpkgDetector.select(entry('/usr/share/doc/libssl3/copyright'))).toMatchObject({ kind: 'content' });
    expect(dpkgDetector.select(entry('/usr/share/doc/libssl3/examples/copyright'))).toBeUndefined();
    expect(dpkgDetector.select(entry('/var/lib/dpkg/status.d/libssl3.md5sums'))).toBeUndefined();
    expect(dpkgDetector.select(entry('/var/lib/dpkg/status-old'))).toBeUndefined();
    expect(dpkgDetector.select(entry('/var/lib/dpkg/status'))).toMatchObject({ kind: 'content' });
  });
});
