import { describe, expect, it } from 'vitest';
import { ALPINE_3_20_PACKAGES, apkInstalled, apkRecord } from '../../../../test/fixtures/apk-installed.js';
import type { OsInfo } from '../../inventory/types.js';
import { captureFilesystem, type MemoryFilesystemSpec } from '../testing/captured-fs.js';
import { apkDetector, createApkDetector } from './apk.js';
import { parseApkInstalled } from './apk-installed.js';

const ALPINE_320: OsInfo = {
  id: 'alpine',
  versionId: '3.20.3',
  idLike: [],
  prettyName: 'Alpine Linux v3.20',
};
const WOLFI: OsInfo = { id: 'wolfi', idLike: [], prettyName: 'Wolfi' };

async function detect(spec: MemoryFilesystemSpec, os: OsInfo, detector = apkDetector) {
  const fs = await captureFilesystem(spec, [detector]);
  return detector.detect({ fs, os, architecture: 'amd64' });
}

describe('parseApkInstalled', () => {
  it('reads every package of an Alpine 3.20 database, ignoring the file lists', () => {
    const { records, invalid } = parseApkInstalled(apkInstalled(ALPINE_3_20_PACKAGES));
    expect(invalid).toEqual([]);
    expect(records.map(({ line: _line, ...rest }) => rest)).toEqual([
      { name: 'musl', version: '1.2.5-r0', architecture: 'x86_64', origin: 'musl', license: 'MIT' },
      {
        name: 'busybox',
        version: '1.36.1-r29',
        architecture: 'x86_64',
        origin: 'busybox',
        license: 'GPL-2.0-only',
      },
      {
        name: 'libcrypto3',
        version: '3.3.2-r0',
        architecture: 'x86_64',
        origin: 'openssl',
        license: 'Apache-2.0',
      },
      {
        name: 'libssl3',
        version: '3.3.2-r0',
        architecture: 'x86_64',
        origin: 'openssl',
        license: 'Apache-2.0',
      },
      {
        name: 'ca-certificates-bundle',
        version: '20240705-r0',
        architecture: 'x86_64',
        origin: 'ca-certificates',
        license: 'MPL-2.0 AND MIT',
      },
      { name: 'zlib', version: '1.3.1-r1', architecture: 'x86_64', origin: 'zlib', license: 'Zlib' },
    ]);
  });

  it('accepts a last record without a trailing blank line, CRLF, and several blank lines', () => {
    const [musl, zlib] = [ALPINE_3_20_PACKAGES[0]!, ALPINE_3_20_PACKAGES[5]!];
    const text = `${apkRecord(musl)}\n\n\n${apkRecord(zlib).trimEnd()}`.replace(/\n/g, '\r\n');
    expect(parseApkInstalled(text).records.map((r) => r.name)).toEqual(['musl', 'zlib']);
  });

  it('reports records without a name or version with their line', () => {
    const text = `${apkRecord(ALPINE_3_20_PACKAGES[0]!)}\nC:Q1abc=\nP:half\nA:x86_64\n\nV:1.0-r0\n`;
    const { records, invalid } = parseApkInstalled(text);
    expect(records.map((r) => r.name)).toEqual(['musl']);
    const firstLine = apkRecord(ALPINE_3_20_PACKAGES[0]!).split('\n').length + 1;
    expect(invalid).toEqual([
      { line: firstLine, reason: 'record of half has no V (version) field' },
      { line: firstLine + 4, reason: 'record has no P (name) field' },
    ]);
  });
});

describe('apkDetector', () => {
  it('inventories Alpine packages with purls, origins and licences', async () => {
    const result = await detect(
      { files: { '/lib/apk/db/installed': apkInstalled(ALPINE_3_20_PACKAGES) } },
      ALPINE_320,
    );
    expect(result.notices).toEqual([]);
    expect(result.packages.map((p) => p.purl)).toEqual([
      'pkg:apk/alpine/musl@1.2.5-r0?arch=x86_64&distro=alpine-3.20.3',
      'pkg:apk/alpine/busybox@1.36.1-r29?arch=x86_64&distro=alpine-3.20.3',
      'pkg:apk/alpine/libcrypto3@3.3.2-r0?arch=x86_64&distro=alpine-3.20.3&upstream=openssl',
      'pkg:apk/alpine/libssl3@3.3.2-r0?arch=x86_64&distro=alpine-3.20.3&upstream=openssl',
      'pkg:apk/alpine/ca-certificates-bundle@20240705-r0?arch=x86_64&distro=alpine-3.20.3&upstream=ca-certificates',
      'pkg:apk/alpine/zlib@1.3.1-r1?arch=x86_64&distro=alpine-3.20.3',
    ]);
    expect(result.packages[2]).toEqual({
      type: 'apk',
      name: 'libcrypto3',
      version: '3.3.2-r0',
      purl: expect.any(String),
      source: { name: 'openssl' },
      licenses: ['Apache-2.0'],
      architecture: 'x86_64',
      locations: ['/lib/apk/db/installed'],
    });
  });

  it('writes Wolfi purls without a release', async () => {
    const glibc = {
      ...ALPINE_3_20_PACKAGES[0]!,
      name: 'glibc',
      version: '2.40-r3',
      origin: 'glibc',
      license: 'LGPL-2.1-or-later',
    };
    const result = await detect({ files: { '/lib/apk/db/installed': apkInstalled([glibc]) } }, WOLFI);
    expect(result.packages[0]?.purl).toBe('pkg:apk/wolfi/glibc@2.40-r3?arch=x86_64');
  });

  it('reads the database once when /lib is a symlink into /usr/lib', async () => {
    const result = await detect(
      {
        files: { '/usr/lib/apk/db/installed': apkInstalled(ALPINE_3_20_PACKAGES) },
        symlinks: { '/lib': 'usr/lib' },
      },
      ALPINE_320,
    );
    expect(result.packages).toHaveLength(ALPINE_3_20_PACKAGES.length);
    expect(result.packages[0]?.locations).toEqual(['/usr/lib/apk/db/installed']);
  });

  it('reports skipped records and databases over the cap', async () => {
    const broken = await detect({ files: { '/lib/apk/db/installed': 'P:nameonly\nA:x86_64\n' } }, ALPINE_320);
    expect(broken.packages).toEqual([]);
    expect(broken.notices).toEqual([
      expect.objectContaining({
        code: 'SCAN_PACKAGE_ENTRY_INVALID',
        path: '/lib/apk/db/installed',
        message: expect.stringContaining('line 1'),
      }),
    ]);
    const detector = createApkDetector({ installedMaxBytes: 64 });
    const big = await detect(
      { files: { '/lib/apk/db/installed': apkInstalled(ALPINE_3_20_PACKAGES) } },
      ALPINE_320,
      detector,
    );
    expect(big.packages).toEqual([]);
    expect(big.notices).toEqual([expect.objectContaining({ code: 'SCAN_PACKAGE_DB_NOT_READ' })]);
  });
});
