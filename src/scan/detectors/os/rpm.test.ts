import { describe, expect, it } from 'vitest';
import { encodeRpmHeader } from '../../../../test/fixtures/rpm-header.js';
import {
  ALMALINUX_9_PACKAGES,
  buildRpmdbSqlite,
  rpmContainerManifest,
  type RpmFixturePackage,
} from '../../../../test/fixtures/rpmdb.js';
import type { OsInfo } from '../../inventory/types.js';
import { captureFilesystem, type MemoryFilesystemSpec } from '../testing/captured-fs.js';
import { createRpmDetector, rpmDetector } from './rpm.js';

const ALMALINUX_94: OsInfo = { id: 'almalinux', versionId: '9.4', idLike: ['rhel', 'centos', 'fedora'] };
const RHEL_94: OsInfo = { id: 'rhel', versionId: '9.4', idLike: ['fedora'] };
const SQLITE_PATH = '/var/lib/rpm/rpmdb.sqlite';

async function detect(spec: MemoryFilesystemSpec, os: OsInfo = ALMALINUX_94, detector = rpmDetector) {
  const fs = await captureFilesystem(spec, [detector]);
  return detector.detect({ fs, os, architecture: 'amd64' });
}

describe('rpmDetector', () => {
  it('inventories an rpmdb.sqlite with versions, purls, source packages and licences', async () => {
    const result = await detect({ files: { [SQLITE_PATH]: await buildRpmdbSqlite(ALMALINUX_9_PACKAGES) } });
    expect(result.notices).toEqual([]);
    expect(result.packages.map((p) => [p.name, p.version, p.purl])).toEqual([
      ['tzdata', '2024a-1.el9', 'pkg:rpm/almalinux/tzdata@2024a-1.el9?arch=noarch&distro=almalinux-9.4'],
      ['bash', '5.1.8-9.el9', 'pkg:rpm/almalinux/bash@5.1.8-9.el9?arch=x86_64&distro=almalinux-9.4'],
      [
        'glibc',
        '2.34-100.el9_4.2',
        'pkg:rpm/almalinux/glibc@2.34-100.el9_4.2?arch=x86_64&distro=almalinux-9.4',
      ],
      [
        'openssl-libs',
        '1:3.0.7-27.el9',
        'pkg:rpm/almalinux/openssl-libs@3.0.7-27.el9?arch=x86_64&distro=almalinux-9.4&epoch=1',
      ],
      [
        'python3-libs',
        '3.9.18-3.el9_4.1',
        'pkg:rpm/almalinux/python3-libs@3.9.18-3.el9_4.1?arch=x86_64&distro=almalinux-9.4',
      ],
    ]);
    expect(result.packages[3]).toEqual({
      type: 'rpm',
      name: 'openssl-libs',
      version: '1:3.0.7-27.el9',
      purl: expect.any(String),
      source: { name: 'openssl' },
      licenses: ['ASL 2.0'],
      architecture: 'x86_64',
      locations: [SQLITE_PATH],
    });
    expect(result.packages[4]?.source).toEqual({ name: 'python3.9' });
  });

  it('names Red Hat’s namespace as Red Hat writes it, and keeps a differing source version', async () => {
    const pkg: RpmFixturePackage = {
      name: 'kernel-headers',
      version: '5.14.0',
      release: '427.13.1.el9_4',
      arch: 'x86_64',
      license: 'GPLv2',
      sourceRpm: 'kernel-5.14.0-427.16.1.el9_4.src.rpm',
    };
    const result = await detect({ files: { [SQLITE_PATH]: await buildRpmdbSqlite([pkg]) } }, RHEL_94);
    expect(result.packages[0]).toMatchObject({
      purl: 'pkg:rpm/redhat/kernel-headers@5.14.0-427.13.1.el9_4?arch=x86_64&distro=rhel-9.4',
      source: { name: 'kernel', version: '5.14.0-427.16.1.el9_4' },
    });
  });

  it('reads the database once when /var/lib/rpm links to /usr/lib/sysimage/rpm', async () => {
    const result = await detect({
      files: {
        '/usr/lib/sysimage/rpm/rpmdb.sqlite': await buildRpmdbSqlite(ALMALINUX_9_PACKAGES.slice(0, 2)),
      },
      symlinks: { '/var/lib/rpm': '../../usr/lib/sysimage/rpm' },
    });
    expect(result.packages.map((p) => p.name)).toEqual(['tzdata', 'bash']);
    expect(result.packages[0]?.locations).toEqual(['/usr/lib/sysimage/rpm/rpmdb.sqlite']);
  });

  it('warns about writes left in the write-ahead log, not about an empty one', async () => {
    const db = await buildRpmdbSqlite(ALMALINUX_9_PACKAGES.slice(0, 1));
    const empty = await detect({ files: { [SQLITE_PATH]: db, [`${SQLITE_PATH}-wal`]: '' } });
    expect(empty.notices).toEqual([]);
    const pending = await detect({
      files: { [SQLITE_PATH]: db, [`${SQLITE_PATH}-wal`]: new Uint8Array(32 + 4096 + 24) },
    });
    expect(pending.packages).toHaveLength(1);
    expect(pending.notices).toEqual([
      expect.objectContaining({
        level: 'warning',
        code: 'SCAN_RPMDB_WAL_PENDING',
        path: `${SQLITE_PATH}-wal`,
        message: expect.stringContaining('4152 bytes'),
      }),
    ]);
  });

  it('skips damaged headers with a notice naming them, and keeps the rest', async () => {
    const damaged = encodeRpmHeader([{ tag: 1000, value: { type: 'string', value: 'no-version' } }]);
    const result = await detect({
      files: {
        [SQLITE_PATH]: await buildRpmdbSqlite([
          ALMALINUX_9_PACKAGES[0]!,
          damaged,
          Uint8Array.from([1, 2, 3]),
        ]),
      },
    });
    expect(result.packages.map((p) => p.name)).toEqual(['tzdata']);
    expect((result.notices ?? []).map((n) => [n.code, n.message])).toEqual([
      [
        'SCAN_PACKAGE_ENTRY_INVALID',
        `${SQLITE_PATH}: package header 2 skipped: rpm header of no-version has no VERSION tag`,
      ],
      [
        'SCAN_PACKAGE_ENTRY_INVALID',
        `${SQLITE_PATH}: package header 3 skipped: rpm header: header is 3 bytes, shorter than its intro`,
      ],
    ]);
  });

  it('summarises many damaged headers instead of listing each', async () => {
    const damaged = Array.from({ length: 25 }, () => Uint8Array.from([0, 0, 0, 0]));
    const result = await detect({ files: { [SQLITE_PATH]: await buildRpmdbSqlite(damaged) } });
    expect(result.notices ?? []).toHaveLength(11);
    expect(result.notices?.[10]?.message).toContain('25 package headers could not be read');
  });

  it('reports a file that is not an rpm SQLite database', async () => {
    const notSqlite = await detect({ files: { [SQLITE_PATH]: 'this is not a database' } });
    expect(notSqlite.packages).toEqual([]);
    expect(notSqlite.notices).toEqual([
      expect.objectContaining({
        code: 'SCAN_RPMDB_UNREADABLE',
        path: SQLITE_PATH,
        message: expect.stringContaining(SQLITE_PATH),
      }),
    ]);
  });

  it('reports BerkeleyDB and NDB databases as not supported', async () => {
    const bdb = await detect({ files: { '/var/lib/rpm/Packages': new Uint8Array(4096) } });
    expect(bdb.packages).toEqual([]);
    expect(bdb.notices).toEqual([
      expect.objectContaining({
        code: 'SCAN_RPMDB_UNSUPPORTED',
        path: '/var/lib/rpm/Packages',
        message: expect.stringContaining('BerkeleyDB'),
      }),
    ]);
    const ndb = await detect({ files: { '/usr/lib/sysimage/rpm/Packages.db': new Uint8Array(4096) } });
    expect(ndb.notices).toEqual([
      expect.objectContaining({
        code: 'SCAN_RPMDB_UNSUPPORTED',
        path: '/usr/lib/sysimage/rpm/Packages.db',
        message: expect.stringContaining('NDB'),
      }),
    ]);
    expect((await detect({ files: {} })).notices).toEqual([]);
  });

  it('says when the database is larger than its cap', async () => {
    const detector = createRpmDetector({ sqliteMaxBytes: 1024 });
    const result = await detect(
      { files: { [SQLITE_PATH]: await buildRpmdbSqlite(ALMALINUX_9_PACKAGES) } },
      ALMALINUX_94,
      detector,
    );
    expect(result.packages).toEqual([]);
    expect(result.notices).toEqual([
      expect.objectContaining({ code: 'SCAN_PACKAGE_DB_NOT_READ', path: SQLITE_PATH }),
    ]);
  });

  it('reads the package manifest of Mariner and Azure Linux distroless images', async () => {
    const mariner: OsInfo = { id: 'mariner', versionId: '2.0', idLike: [] };
    const packages: RpmFixturePackage[] = [
      {
        name: 'distroless-packages-minimal',
        version: '2.0',
        release: '20240123.cm2',
        arch: 'x86_64',
        vendor: 'Microsoft Corporation',
        sourceRpm: 'distroless-packages-2.0-20240123.cm2.src.rpm',
      },
      {
        name: 'openssl-libs',
        version: '1.1.1k',
        release: '31.cm2',
        arch: 'x86_64',
        vendor: 'Microsoft Corporation',
        sourceRpm: 'openssl-1.1.1k-31.cm2.src.rpm',
      },
      {
        name: 'tzdata',
        version: '2024a',
        release: '1.cm2',
        epoch: 1,
        arch: 'noarch',
        vendor: 'Microsoft Corporation',
        sourceRpm: 'tzdata-2024a-1.cm2.src.rpm',
      },
    ];
    const text = `${rpmContainerManifest(packages)}broken line\n`;
    const result = await detect({ files: { '/var/lib/rpmmanifest/container-manifest-2': text } }, mariner);
    expect(result.packages.map((p) => [p.name, p.version, p.purl, p.source])).toEqual([
      [
        'distroless-packages-minimal',
        '2.0-20240123.cm2',
        'pkg:rpm/mariner/distroless-packages-minimal@2.0-20240123.cm2?arch=x86_64&distro=mariner-2.0',
        { name: 'distroless-packages' },
      ],
      [
        'openssl-libs',
        '1.1.1k-31.cm2',
        'pkg:rpm/mariner/openssl-libs@1.1.1k-31.cm2?arch=x86_64&distro=mariner-2.0',
        { name: 'openssl' },
      ],
      [
        'tzdata',
        '1:2024a-1.cm2',
        'pkg:rpm/mariner/tzdata@2024a-1.cm2?arch=noarch&distro=mariner-2.0&epoch=1',
        { name: 'tzdata' },
      ],
    ]);
    expect(result.packages[0]?.locations).toEqual(['/var/lib/rpmmanifest/container-manifest-2']);
    expect(result.notices).toEqual([
      expect.objectContaining({
        code: 'SCAN_PACKAGE_ENTRY_INVALID',
        message: expect.stringContaining('line 4'),
      }),
    ]);
  });
});
