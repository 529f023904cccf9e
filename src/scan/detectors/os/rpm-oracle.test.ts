import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  ALMALINUX_9_PACKAGES,
  RPM_MANIFEST_QUERY_FORMAT,
  buildRpmdbSqlite,
} from '../../../../test/fixtures/rpmdb.js';
import type { OsInfo, Package } from '../../inventory/types.js';
import { createCapturedFilesystem } from '../testing/captured-fs.js';
import { rpmDetector } from './rpm.js';

/**
 * rpm itself as the oracle: it must list the packages of a database our header encoder wrote,
 * and our detector must list the packages of a database rpm wrote. Needs `rpm` (and
 * `rpmbuild` for the second direction); outside CI the tests are skipped without them.
 */

const hasTool = (tool: string) => spawnSync(tool, ['--version'], { encoding: 'utf8' }).status === 0;
const HAS_RPM = hasTool('rpm');
const HAS_RPMBUILD = hasTool('rpmbuild');
const REQUIRED = Boolean(process.env.CI);
if (!HAS_RPM && !REQUIRED) console.warn('rpm is not installed: skipping the rpm oracle tests');

const OS: OsInfo = { id: 'almalinux', versionId: '9.4', idLike: ['rhel'] };
const QUERY_FORMAT = '%{NAME}|%{EPOCHNUM}:%{VERSION}-%{RELEASE}|%{ARCH}|%{SOURCERPM}|%{LICENSE}\\n';
const RPM_DB_OPTIONS = ['--define', '_db_backend sqlite'];

const workDirs: string[] = [];
afterAll(() => {
  for (const dir of workDirs) rmSync(dir, { recursive: true, force: true });
});

function workDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'airlock-rpm-'));
  workDirs.push(dir);
  return dir;
}

function run(tool: string, args: string[]): string {
  const result = spawnSync(tool, args, { encoding: 'utf8' });
  expect(result.status, `${tool} ${args.join(' ')} failed: ${result.stderr}`).toBe(0);
  return result.stdout;
}

/** `rpm -qa` lines, without the public-key pseudo-packages the inventory leaves out. */
function rpmList(dbPath: string): string[] {
  return run('rpm', ['-qa', '--dbpath', dbPath, ...RPM_DB_OPTIONS, '--qf', QUERY_FORMAT])
    .split('\n')
    .filter((line) => line !== '' && !line.startsWith('gpg-pubkey|'))
    .sort();
}

/** The same fields from our inventory, in rpm's query format (`(none)` where a tag is absent). */
function inventoryList(packages: Package[], sourceRpms: Map<string, string>): string[] {
  return packages
    .map((p) => {
      const evr = p.version.includes(':') ? p.version : `0:${p.version}`;
      return `${p.name}|${evr}|${p.architecture ?? '(none)'}|${sourceRpms.get(p.name) ?? '(none)'}|${p.licenses?.[0] ?? '(none)'}`;
    })
    .sort();
}

async function detectIn(dbFile: string): Promise<Package[]> {
  const fs = createCapturedFilesystem({ files: { '/var/lib/rpm/rpmdb.sqlite': readFileSync(dbFile) } });
  const result = await rpmDetector.detect({ fs, os: OS });
  expect(result.notices).toEqual([]);
  return result.packages;
}

describe.skipIf(!HAS_RPM && !REQUIRED)('rpm as oracle', () => {
  it('lists the packages of a database built by the header encoder', async () => {
    expect(HAS_RPM, 'rpm must be installed in CI').toBe(true);
    const dir = workDir();
    const dbFile = join(dir, 'rpmdb.sqlite');
    writeFileSync(dbFile, await buildRpmdbSqlite(ALMALINUX_9_PACKAGES));
    const fromRpm = rpmList(dir);
    const sourceRpms = new Map(ALMALINUX_9_PACKAGES.map((p) => [p.name, p.sourceRpm ?? '(none)']));
    expect(fromRpm).toHaveLength(ALMALINUX_9_PACKAGES.length - 1);
    expect(inventoryList(await detectIn(dbFile), sourceRpms)).toEqual(fromRpm);
  });

  it('reads a distroless package manifest written by rpm as the database it describes', async () => {
    const dir = workDir();
    const dbFile = join(dir, 'rpmdb.sqlite');
    writeFileSync(dbFile, await buildRpmdbSqlite(ALMALINUX_9_PACKAGES));
    const manifest = run('rpm', [
      '-qa',
      '--dbpath',
      dir,
      ...RPM_DB_OPTIONS,
      '--qf',
      RPM_MANIFEST_QUERY_FORMAT,
    ]);
    const fs = createCapturedFilesystem({ files: { '/var/lib/rpmmanifest/container-manifest-2': manifest } });
    const fromManifest = await rpmDetector.detect({ fs, os: OS });
    expect(fromManifest.notices).toEqual([]);
    const strip = (packages: Package[]) => packages.map(({ licenses: _l, locations: _p, ...rest }) => rest);
    const sorted = (packages: Package[]) => strip(packages).sort((a, b) => a.name.localeCompare(b.name));
    expect(sorted(fromManifest.packages)).toEqual(sorted(await detectIn(dbFile)));
  });

  it.skipIf(!HAS_RPMBUILD && !REQUIRED)(
    'reads a database rpm wrote when installing built packages',
    async () => {
      expect(HAS_RPMBUILD, 'rpmbuild must be installed in CI').toBe(true);
      const dir = workDir();
      const specs = [
        {
          name: 'airlock-probe',
          epoch: 2,
          version: '1.2.3',
          release: '4.el9',
          license: 'MIT AND (Apache-2.0 OR BSD-3-Clause)',
          noarch: true,
        },
        {
          name: 'airlock-probe-libs',
          version: '0.9',
          release: '1.el9',
          license: 'LGPL-2.1-or-later',
          noarch: false,
        },
      ];
      const rpms = specs.map((spec) => buildPackage(dir, spec));
      const dbPath = join(dir, 'db');
      run('rpm', ['--initdb', '--dbpath', dbPath, ...RPM_DB_OPTIONS]);
      run('rpm', [
        '-i',
        '--justdb',
        '--nodeps',
        '--nosignature',
        '--noscripts',
        '--dbpath',
        dbPath,
        ...RPM_DB_OPTIONS,
        ...rpms,
      ]);
      const fromRpm = rpmList(dbPath);
      expect(fromRpm).toHaveLength(2);
      const packages = await detectIn(join(dbPath, 'rpmdb.sqlite'));
      const sourceRpms = new Map(specs.map((s) => [s.name, `${s.name}-${s.version}-${s.release}.src.rpm`]));
      expect(inventoryList(packages, sourceRpms)).toEqual(fromRpm);
      expect(packages.find((p) => p.name === 'airlock-probe')?.purl).toBe(
        'pkg:rpm/almalinux/airlock-probe@1.2.3-4.el9?arch=noarch&distro=almalinux-9.4&epoch=2',
      );
    },
  );
});

interface ProbeSpec {
  name: string;
  epoch?: number;
  version: string;
  release: string;
  license: string;
  noarch: boolean;
}

/** Builds a binary rpm holding one small file and returns its path. */
function buildPackage(dir: string, spec: ProbeSpec): string {
  const specFile = join(dir, `${spec.name}.spec`);
  writeFileSync(
    specFile,
    [
      `Name: ${spec.name}`,
      ...(spec.epoch === undefined ? [] : [`Epoch: ${spec.epoch}`]),
      `Version: ${spec.version}`,
      `Release: ${spec.release}`,
      'Summary: Airlock rpm oracle probe',
      `License: ${spec.license}`,
      ...(spec.noarch ? ['BuildArch: noarch'] : []),
      '%description',
      'A package built by the tests to have rpm write a real database.',
      '%install',
      `mkdir -p %{buildroot}/usr/share/${spec.name}`,
      `echo ${spec.name} > %{buildroot}/usr/share/${spec.name}/probe`,
      '%files',
      `/usr/share/${spec.name}/probe`,
      '',
    ].join('\n'),
  );
  const topDir = join(dir, 'rpmbuild');
  run('rpmbuild', [
    '-bb',
    '--quiet',
    '--define',
    `_topdir ${topDir}`,
    '--define',
    '_build_id_links none',
    specFile,
  ]);
  const arch = spec.noarch ? 'noarch' : run('rpm', ['--eval', '%{_arch}']).trim();
  const epochless = `${spec.name}-${spec.version}-${spec.release}.${arch}.rpm`;
  return join(topDir, 'RPMS', arch, epochless);
}
