import { beforeAll, describe, expect, it } from 'vitest';
import { OSV_FIXTURES_DIR } from '../../../test/fixtures/osv-records.js';
import type { OsInfo, Package, PackageType } from '../inventory/types.js';
import type { Finding } from './finding.js';
import { MatchNoticeCode, matchPackages } from './match.js';
import { importOsvPath } from './osv-import.js';
import { MemoryAdvisoryStore } from './testing/memory-advisory-store.js';

/** Matching against the real OSV records kept for tests (test/fixtures/osv). */

const store = new MemoryAdvisoryStore();
beforeAll(async () => {
  await importOsvPath(OSV_FIXTURES_DIR, { writer: store });
});

function pkg(type: PackageType, name: string, version: string, source?: Package['source']): Package {
  return {
    type,
    name,
    version,
    purl: `pkg:${type}/${name}@${version}`,
    locations: ['/var/lib/dpkg/status'],
    ...(source ? { source } : {}),
  };
}

/** finding id → advisories, fixed versions: the essentials of a result, for exact comparison. */
function summary(findings: Finding[]) {
  return findings.map((f) => ({
    package: `${f.package.name} ${f.package.version}`,
    id: f.id,
    advisories: f.advisories,
    fixed: f.fixedVersions,
  }));
}

const DEBIAN_12: OsInfo = {
  id: 'debian',
  versionId: '12',
  versionCodename: 'bookworm',
  idLike: [],
  prettyName: 'Debian GNU/Linux 12 (bookworm)',
};
const DEBIAN_11: OsInfo = { id: 'debian', versionId: '11', versionCodename: 'bullseye', idLike: [] };

describe('matching Debian packages by source package and source version', () => {
  it('finds the Debian 12 advisories of a bookworm package set, exact at the fixed-version boundary', async () => {
    const packages = [
      pkg('deb', 'libssl3', '3.0.8-1', { name: 'openssl' }),
      pkg('deb', 'libcurl4', '7.88.1-7', { name: 'curl' }),
      pkg('deb', 'apt', '2.6.1'),
      pkg('deb', 'perl-base', '5.36.0-7', { name: 'perl' }),
      pkg('deb', 'zlib1g', '1:1.2.13.dfsg-1', { name: 'zlib' }),
      pkg('deb', 'liblog4j2-java', '2.14.1-1', { name: 'apache-log4j2' }),
    ];
    const result = await matchPackages(packages, DEBIAN_12, store);
    expect(summary(result.findings)).toEqual([
      // DEBIAN-CVE-2011-3374 has no fixed version in Debian 12.
      { package: 'apt 2.6.1', id: 'CVE-2011-3374', advisories: ['DEBIAN-CVE-2011-3374'], fixed: [] },
      // 7.88.1-7 is the fix of CVE-2023-27534, so only the later one matches.
      {
        package: 'libcurl4 7.88.1-7',
        id: 'CVE-2023-28319',
        advisories: ['DEBIAN-CVE-2023-28319'],
        fixed: ['7.88.1-10'],
      },
      // DSA-5020-1 covers only Debian 10 and 11.
      {
        package: 'liblog4j2-java 2.14.1-1',
        id: 'CVE-2021-44228',
        advisories: ['DEBIAN-CVE-2021-44228'],
        fixed: ['2.15.0-1'],
      },
      // CVE-2023-0286 is fixed in 3.0.8-1 itself; CVE-2022-0778 and CVE-2021-4160 long before.
      {
        package: 'libssl3 3.0.8-1',
        id: 'CVE-2023-0464',
        advisories: ['DEBIAN-CVE-2023-0464'],
        fixed: ['3.0.9-1'],
      },
      {
        package: 'libssl3 3.0.8-1',
        id: 'CVE-2023-2650',
        advisories: ['DEBIAN-CVE-2023-2650'],
        fixed: ['3.0.9-1'],
      },
      {
        package: 'perl-base 5.36.0-7',
        id: 'CVE-2023-31484',
        advisories: ['DEBIAN-CVE-2023-31484'],
        fixed: [],
      },
    ]);
    const openssl = result.findings.find((f) => f.id === 'CVE-2023-0464')!;
    expect(openssl).toMatchObject({
      aliases: ['DEBIAN-CVE-2023-0464'],
      package: {
        name: 'libssl3',
        source: { name: 'openssl' },
        ecosystem: 'Debian:12',
        purl: 'pkg:deb/libssl3@3.0.8-1',
      },
      severity: { rating: 'UNKNOWN' },
      origin: 'osv',
      suppressed: false,
      urls: ['https://cve.mitre.org/cgi-bin/cvename.cgi?name=CVE-2023-0464'],
    });
    expect(openssl.summary).toBe(
      'A security vulnerability has been identified in all supported versions of OpenSSL related to the verification of X.509 certificate chains that include policy constraints.',
    );
    expect(result.stats).toMatchObject({ packages: 6, matchable: 6 });
    expect(result.notices).toEqual([]);
  });

  it('compares the source version, not a binNMU binary version', async () => {
    const rebuilt = pkg('deb', 'libssl3', '3.0.9-1+b1', { name: 'openssl', version: '3.0.8-1' });
    expect((await matchPackages([rebuilt], DEBIAN_12, store)).findings.map((f) => f.id)).toEqual([
      'CVE-2023-0464',
      'CVE-2023-2650',
    ]);
  });

  it('splits a DSA that covers two CVEs into the two findings, and merges a single-CVE DSA into its CVE', async () => {
    const packages = [
      pkg('deb', 'libssl1.1', '1.1.1k-1+deb11u1', { name: 'openssl' }),
      pkg('deb', 'liblog4j2-java', '2.13.3-1', { name: 'apache-log4j2' }),
    ];
    const result = await matchPackages(packages, DEBIAN_11, store);
    expect(summary(result.findings)).toEqual([
      {
        package: 'liblog4j2-java 2.13.3-1',
        id: 'CVE-2021-44228',
        advisories: ['DEBIAN-CVE-2021-44228', 'DSA-5020-1'],
        fixed: ['2.15.0-1~deb11u1'],
      },
      {
        package: 'libssl1.1 1.1.1k-1+deb11u1',
        id: 'CVE-2021-4160',
        advisories: ['DEBIAN-CVE-2021-4160', 'DSA-5103-1'],
        fixed: ['1.1.1k-1+deb11u2'],
      },
      {
        package: 'libssl1.1 1.1.1k-1+deb11u1',
        id: 'CVE-2022-0778',
        advisories: ['DEBIAN-CVE-2022-0778', 'DSA-5103-1'],
        fixed: ['1.1.1k-1+deb11u2'],
      },
      {
        package: 'libssl1.1 1.1.1k-1+deb11u1',
        id: 'CVE-2023-0286',
        advisories: ['DEBIAN-CVE-2023-0286'],
        fixed: ['1.1.1n-0+deb11u4'],
      },
      {
        package: 'libssl1.1 1.1.1k-1+deb11u1',
        id: 'CVE-2023-0464',
        advisories: ['DEBIAN-CVE-2023-0464'],
        fixed: ['1.1.1n-0+deb11u5'],
      },
      {
        package: 'libssl1.1 1.1.1k-1+deb11u1',
        id: 'CVE-2023-2650',
        advisories: ['DEBIAN-CVE-2023-2650'],
        fixed: ['1.1.1n-0+deb11u5'],
      },
    ]);
    expect(result.findings[0]!.aliases).toEqual(['DEBIAN-CVE-2021-44228', 'DSA-5020-1']);
    // The CVE's own description is preferred to the DSA's generic "security update" title.
    expect(result.findings[0]!.summary).toMatch(/^Apache Log4j2 2\.0-beta9 through 2\.15\.0 .{100,}…$/);
  });

  it('falls back to the purl distro qualifier when no OS was identified (packages from an SBOM)', async () => {
    const fromSbom = {
      ...pkg('deb', 'apt', '2.6.1'),
      purl: 'pkg:deb/debian/apt@2.6.1?arch=amd64&distro=debian-12',
    };
    expect((await matchPackages([fromSbom], undefined, store)).findings.map((f) => f.id)).toEqual([
      'CVE-2011-3374',
    ]);
  });
});

describe('matching other ecosystems', () => {
  it('Alpine: by origin package on the image’s release branch', async () => {
    const alpine: OsInfo = { id: 'alpine', versionId: '3.20.3', idLike: [] };
    const packages = [
      pkg('apk', 'xz-libs', '5.6.1-r1', { name: 'xz' }),
      pkg('apk', 'libsharpyuv', '1.3.0-r0', { name: 'libwebp' }),
      pkg('apk', 'curl', '8.9.0-r0', { name: 'curl' }),
    ];
    expect(summary((await matchPackages(packages, alpine, store)).findings)).toEqual([
      {
        package: 'libsharpyuv 1.3.0-r0',
        id: 'CVE-2023-4863',
        advisories: ['ALPINE-CVE-2023-4863'],
        fixed: ['1.3.1-r1'],
      },
      {
        package: 'xz-libs 5.6.1-r1',
        id: 'CVE-2024-3094',
        advisories: ['ALPINE-CVE-2024-3094'],
        fixed: ['5.6.1-r2'],
      },
    ]);
    // The xz advisory names only the v3.20 branch.
    expect(
      (
        await matchPackages(
          [pkg('apk', 'xz-libs', '5.4.3-r0', { name: 'xz' })],
          { id: 'alpine', versionId: '3.18.4', idLike: [] },
          store,
        )
      ).findings,
    ).toEqual([]);
  });

  it('PyPI: normalised names, unsorted ranges, aliases merged into the CVE', async () => {
    const packages = [
      pkg('pypi', 'Requests', '2.30.0'),
      pkg('pypi', 'urllib3', '1.26.17'),
      pkg('pypi', 'urllib3', '2.0.7'),
    ];
    const findings = (await matchPackages(packages, undefined, store)).findings;
    expect(summary(findings)).toEqual([
      { package: 'Requests 2.30.0', id: 'CVE-2023-32681', advisories: ['PYSEC-2023-74'], fixed: ['2.31.0'] },
      {
        package: 'urllib3 1.26.17',
        id: 'CVE-2023-45803',
        advisories: ['PYSEC-2023-212'],
        fixed: ['1.26.18'],
      },
    ]);
    expect(findings[0]!.aliases).toEqual(['GHSA-j8r2-6x86-q33q', 'PYSEC-2023-74']);
  });

  it('Go: the standard library by toolchain version, modules by path; withdrawn advisories never match', async () => {
    const packages = [
      pkg('golang', 'stdlib', 'v1.21.1'),
      pkg('golang', 'golang.org/x/net', 'v0.15.0'),
      pkg('golang', 'github.com/gorilla/sessions', 'v1.2.1'),
      pkg('golang', 'stdlib', 'go1.22.4'),
    ];
    const findings = (await matchPackages(packages, undefined, store)).findings;
    expect(summary(findings)).toEqual([
      {
        package: 'golang.org/x/net v0.15.0',
        id: 'CVE-2023-39325',
        advisories: ['GO-2023-2102'],
        fixed: ['0.17.0'],
      },
      { package: 'stdlib v1.21.1', id: 'CVE-2023-39325', advisories: ['GO-2023-2102'], fixed: ['1.21.3'] },
      { package: 'stdlib v1.21.1', id: 'CVE-2024-24790', advisories: ['GO-2024-2887'], fixed: ['1.21.11'] },
    ]);
    // The related CVE-2023-44487 is a different vulnerability: not an alias.
    expect(findings[0]!.aliases).toEqual(['GHSA-4374-p667-p6c8', 'GO-2023-2102']);
  });

  it('AlmaLinux: binary package names, epochs, errata bundles split per CVE with Red Hat’s impact as severity', async () => {
    const alma: OsInfo = { id: 'almalinux', versionId: '10.0', idLike: ['rhel', 'centos', 'fedora'] };
    const findings = (
      await matchPackages([pkg('rpm', 'openssl-libs', '1:3.5.1-4.el10_0', { name: 'openssl' })], alma, store)
    ).findings;
    expect(findings).toHaveLength(13);
    expect(findings.find((f) => f.id === 'CVE-2025-9230')).toMatchObject({
      advisories: ['ALSA-2025:21248'],
      fixedVersions: ['1:3.5.1-4.el10_1.alma.1'],
      severity: { rating: 'MEDIUM', source: 'Red Hat' },
      package: { ecosystem: 'AlmaLinux:10' },
    });
    expect(findings.find((f) => f.id === 'CVE-2025-15467')).toMatchObject({
      advisories: ['ALSA-2026:1472'],
      aliases: ['ALSA-2026:1472'],
      fixedVersions: ['1:3.5.1-7.el10_1.alma.1'],
      severity: { rating: 'HIGH', source: 'Red Hat' },
      summary: 'Important: openssl security update',
    });
    // The fix itself is not affected.
    expect(
      (
        await matchPackages(
          [pkg('rpm', 'openssl-libs', '1:3.5.1-7.el10_1.alma.1', { name: 'openssl' })],
          alma,
          store,
        )
      ).findings,
    ).toEqual([]);
  });

  it('crates.io and npm: CVSS v4.0 severity, two CVE aliases, explicit version lists, withdrawn records', async () => {
    const packages = [
      pkg('cargo', 'libwebp-sys2', '0.1.7'),
      pkg('cargo', 'cap-primitives', '3.4.0'),
      pkg('cargo', 'dirs', '1.0.0'),
      pkg('npm', 'lbank-main', '19.4.9'),
    ];
    const findings = (await matchPackages(packages, undefined, store)).findings;
    expect(summary(findings)).toEqual([
      {
        package: 'cap-primitives 3.4.0',
        id: 'CVE-2024-51756',
        advisories: ['RUSTSEC-2024-0445'],
        fixed: ['3.4.1'],
      },
      { package: 'lbank-main 19.4.9', id: 'MAL-2025-1332', advisories: ['MAL-2025-1332'], fixed: [] },
      {
        package: 'libwebp-sys2 0.1.7',
        id: 'CVE-2023-4863',
        advisories: ['RUSTSEC-2023-0060'],
        fixed: ['0.1.8'],
      },
    ]);
    expect(findings[0]!.severity).toEqual({
      rating: 'LOW',
      score: 2.3,
      vector: 'CVSS:4.0/AV:N/AC:L/AT:P/PR:L/UI:N/VC:L/VI:L/VA:L/SC:N/SI:N/SA:N',
      source: 'CVSS_V4',
      advisory: 'RUSTSEC-2024-0445',
    });
    expect(findings[2]!.aliases).toEqual(['CVE-2023-5129', 'GHSA-j7hp-h8jx-5ppr', 'RUSTSEC-2023-0060']);
  });

  it('says which packages it could not match and why', async () => {
    const fedora: OsInfo = { id: 'fedora', versionId: '40', idLike: [] };
    const result = await matchPackages(
      [pkg('rpm', 'bash', '5.2.26-3.fc40'), pkg('rpm', 'glibc', '2.39-2.fc40')],
      fedora,
      store,
    );
    expect(result.findings).toEqual([]);
    expect(result.notices).toEqual([
      {
        level: 'warning',
        code: MatchNoticeCode.EcosystemUnsupported,
        message:
          '2 packages not matched: fedora: OSV publishes no vulnerability data for "fedora" rpm packages',
      },
    ]);
    const invalid = await matchPackages([pkg('pypi', 'urllib3', 'not a version')], undefined, store);
    expect(invalid.notices).toEqual([
      expect.objectContaining({
        code: MatchNoticeCode.VersionInvalid,
        message:
          'urllib3 not a version is not a valid pep440 version; its PyPI advisories were not evaluated',
      }),
    ]);
  });
});
