import { describe, expect, it } from 'vitest';
import type { OsInfo, Package, PackageType } from '../inventory/types.js';
import { lookupKeys, resolveTarget } from './package-targets.js';

function pkg(type: PackageType, name: string, version: string, extra: Partial<Package> = {}): Package {
  return { type, name, version, purl: `pkg:${type}/${name}@${version}`, locations: [], ...extra };
}

const os = (id: string, versionId?: string, extra: Partial<OsInfo> = {}): OsInfo => ({
  id,
  idLike: [],
  ...(versionId ? { versionId } : {}),
  ...extra,
});

function target(p: Package, info?: OsInfo) {
  const resolved = resolveTarget(p, 0, info);
  if (!resolved.ok) throw new Error(resolved.reason);
  return resolved.target;
}

describe('resolveTarget', () => {
  it('places OS packages in their distribution release, by source package where the release keys advisories so', () => {
    expect(
      target(pkg('deb', 'libssl3', '3.0.11-1~deb12u2', { source: { name: 'openssl' } }), os('debian', '12')),
    ).toMatchObject({ ecosystem: 'Debian:12', names: ['openssl'] });
    expect(
      target(
        pkg('deb', 'libc6', '2.36-9', { source: { name: 'glibc' } }),
        os('debian', undefined, { versionCodename: 'trixie' }),
      ),
    ).toMatchObject({ ecosystem: 'Debian:13' });
    expect(
      target(pkg('apk', 'libcrypto3', '3.3.2-r0', { source: { name: 'openssl' } }), os('alpine', '3.20.3')),
    ).toMatchObject({ ecosystem: 'Alpine:v3.20', names: ['openssl'] });
    expect(
      target(
        pkg('rpm', 'openssl-libs', '1:3.0.7-27.el9', { source: { name: 'openssl' } }),
        os('rocky', '9.4'),
      ),
    ).toMatchObject({ ecosystem: 'Rocky Linux:9', names: ['openssl-libs', 'openssl'] });
    expect(target(pkg('apk', 'glibc', '2.40-r3'), os('wolfi'))).toMatchObject({
      ecosystem: 'Wolfi',
      names: ['glibc'],
    });
  });

  it('accepts the release-scoped ecosystem strings that apply', () => {
    const ubuntu = target(
      pkg('deb', 'libssl3', '3.0.2-0ubuntu1.15', { source: { name: 'openssl' } }),
      os('ubuntu', '22.04'),
    );
    expect(
      ['Ubuntu:22.04:LTS', 'Ubuntu:22.04', 'Ubuntu:24.04:LTS', 'Ubuntu:Pro:22.04:LTS'].map((e) =>
        ubuntu.accepts(e),
      ),
    ).toEqual([true, true, false, false]);
    const rhel = target(pkg('rpm', 'openssl-libs', '1:3.0.7-27.el9'), os('rhel', '9.4'));
    expect(
      [
        'Red Hat:enterprise_linux:9::appstream',
        'Red Hat:rhel_eus:9.2::baseos',
        'Red Hat:enterprise_linux:8::baseos',
      ].map((e) => rhel.accepts(e)),
    ).toEqual([true, true, false]);
    const alma = target(pkg('rpm', 'bash', '5.1.8-9.el9'), os('almalinux', '9.4'));
    expect(['AlmaLinux:9', 'AlmaLinux', 'AlmaLinux:8'].map((e) => alma.accepts(e))).toEqual([
      true,
      true,
      false,
    ]);
  });

  it('uses the source version of Debian packages built from it (binNMUs)', () => {
    expect(
      target(
        pkg('deb', 'libfoo1', '1.0-1+b2', { source: { name: 'foo', version: '1.0-1' } }),
        os('debian', '12'),
      ).version,
    ).toBe('1.0-1');
  });

  it('maps language packages to OSV’s names and versions', () => {
    expect(target(pkg('pypi', 'Zope.Interface', '5.4.0'))).toMatchObject({
      ecosystem: 'PyPI',
      names: ['zope-interface'],
    });
    expect(target(pkg('golang', 'stdlib', 'go1.22'))).toMatchObject({
      ecosystem: 'Go',
      names: ['stdlib'],
      version: '1.22.0',
    });
    expect(target(pkg('golang', 'github.com/foo/bar', 'v1.2.3+incompatible'))).toMatchObject({
      version: '1.2.3+incompatible',
    });
    expect(
      target(pkg('maven', 'org.apache.logging.log4j:log4j-core', '2.14.1')).accepts(
        'Maven:https://maven.google.com',
      ),
    ).toBe(true);
    expect(target(pkg('nuget', 'Newtonsoft.Json', '12.0.1'))).toMatchObject({
      ecosystem: 'NuGet',
      names: ['newtonsoft.json'],
    });
  });

  it('explains why a package has no target', () => {
    expect(resolveTarget(pkg('rpm', 'bash', '5.2-1.fc40'), 0, os('fedora', '40'))).toEqual({
      ok: false,
      reason: 'fedora: OSV publishes no vulnerability data for "fedora" rpm packages',
    });
    expect(resolveTarget(pkg('deb', 'bash', '5.2-1'), 0, undefined)).toMatchObject({
      ok: false,
      reason: expect.stringContaining('no operating system was identified'),
    });
  });
});

describe('lookupKeys', () => {
  it('asks once per distinct (ecosystem, name)', () => {
    const debian = os('debian', '12');
    const targets = [
      target(pkg('deb', 'libssl3', '1', { source: { name: 'openssl' } }), debian),
      target(pkg('deb', 'openssl', '1'), debian),
      target(pkg('pypi', 'openssl', '1')),
    ];
    expect(lookupKeys(targets)).toEqual([
      { ecosystemBase: 'Debian', name: 'openssl' },
      { ecosystemBase: 'PyPI', name: 'openssl' },
    ]);
  });
});
