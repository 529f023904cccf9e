import { PackageURL } from 'packageurl-js';
import type { OsInfo, Package, PackageType } from '../inventory/types.js';
import type { PackageKey } from './advisory-store.js';
import { normalizePackageName } from './ecosystems.js';

/**
 * Where an installed package's vulnerabilities are found in OSV: its ecosystem (a
 * distribution release for OS packages) and the names advisories use for it. Debian,
 * Ubuntu and Alpine key advisories by the source package (`openssl` for `libssl3`); AlmaLinux
 * and Red Hat name binary and source packages alike, so both are looked up.
 */
export interface MatchTarget {
  /** Index of the package in the list being matched. */
  index: number;
  ecosystemBase: string;
  /** The release this package belongs to, for display: `Debian:12`, `Alpine:v3.20`, `PyPI`. */
  ecosystem: string;
  /** Whether an advisory's full ecosystem string (`Debian:12`, `Ubuntu:22.04:LTS`) applies to this package. */
  accepts(ecosystem: string): boolean;
  /** Names to look up, normalised for the ecosystem. */
  names: string[];
  /** The version advisories compare against (the source version for Debian packages). */
  version: string;
}

export type TargetResolution = { ok: true; target: MatchTarget } | { ok: false; reason: string };

interface Release {
  base: string;
  label: string;
  accepts(ecosystem: string): boolean;
}

/** Debian releases by codename, for images whose os-release has no VERSION_ID (testing) or purls that name the codename. */
const DEBIAN_CODENAMES: Readonly<Record<string, string>> = {
  jessie: '8',
  stretch: '9',
  buster: '10',
  bullseye: '11',
  bookworm: '12',
  trixie: '13',
  forky: '14',
};

/** Language ecosystems: package type → OSV ecosystem. */
const LANGUAGE_ECOSYSTEMS: Partial<Record<PackageType, string>> = {
  npm: 'npm',
  pypi: 'PyPI',
  golang: 'Go',
  maven: 'Maven',
  gem: 'RubyGems',
  cargo: 'crates.io',
  nuget: 'NuGet',
};

/** The lookup target of one package, or why it has none (an OS without OSV data, say). */
export function resolveTarget(pkg: Package, index: number, os: OsInfo | undefined): TargetResolution {
  const language = LANGUAGE_ECOSYSTEMS[pkg.type];
  if (language) return { ok: true, target: languageTarget(pkg, index, language) };
  const release = osRelease(pkg.type, os ?? osFromPurl(pkg.purl));
  if (!release.ok) return release;
  const { base, label, accepts } = release.release;
  const names = osPackageNames(pkg, base).map((n) => normalizePackageName(base, n));
  const version = pkg.type === 'deb' ? (pkg.source?.version ?? pkg.version) : pkg.version;
  return {
    ok: true,
    target: { index, ecosystemBase: base, ecosystem: label, accepts, names: [...new Set(names)], version },
  };
}

/** The distinct (ecosystem, name) pairs of a set of targets: what one database lookup asks for. */
export function lookupKeys(targets: readonly MatchTarget[]): PackageKey[] {
  const seen = new Set<string>();
  const keys: PackageKey[] = [];
  for (const target of targets) {
    for (const name of target.names) {
      const id = `${target.ecosystemBase}\u0000${name}`;
      if (seen.has(id)) continue;
      seen.add(id);
      keys.push({ ecosystemBase: target.ecosystemBase, name });
    }
  }
  return keys;
}

function languageTarget(pkg: Package, index: number, base: string): MatchTarget {
  let name = pkg.name;
  let version = pkg.version;
  if (base === 'Go') {
    // Go module versions carry a `v` (`v1.2.3`); OSV's Go ranges do not. The toolchain reports
    // the standard library as `go1.21.3`.
    version = version.replace(/^go/, '').replace(/^v/, '');
    if (/^\d+\.\d+$/.test(version)) version = `${version}.0`;
    if (name === 'go' || name === 'golang' || name === 'std') name = 'stdlib';
  }
  // Maven repositories other than Central are OSV ecosystems `Maven:<url>`; the package is the same.
  const accepts =
    base === 'Maven' ? (e: string) => e === 'Maven' || e.startsWith('Maven:') : (e: string) => e === base;
  return {
    index,
    ecosystemBase: base,
    ecosystem: base,
    accepts,
    names: [normalizePackageName(base, name)],
    version,
  };
}

/** Binary and source names for OS packages; Debian, Ubuntu and Alpine advisories use the source name only. */
function osPackageNames(pkg: Package, base: string): string[] {
  const source = pkg.source?.name;
  if (base === 'Debian' || base === 'Ubuntu' || base === 'Alpine') return [source ?? pkg.name];
  return source && source !== pkg.name ? [pkg.name, source] : [pkg.name];
}

/** A release, or why there is none (a string). */
type ReleaseOf = (os: OsInfo) => Release | string;

const NO_VERSION = 'no VERSION_ID';

function exact(label: string): Release {
  return { base: label.split(':')[0]!, label, accepts: (e) => e === label };
}

/** An rpm distribution whose OSV ecosystem is `<name>:<major>`, or unscoped `<name>`. */
function byMajor(name: string): ReleaseOf {
  return (os) => {
    const major = os.versionId?.split('.')[0];
    return major
      ? { base: name, label: `${name}:${major}`, accepts: (e) => e === `${name}:${major}` || e === name }
      : NO_VERSION;
  };
}

function byPrettyName(name: string): ReleaseOf {
  return (os) => (os.prettyName ? exact(`${name}:${os.prettyName}`) : 'no PRETTY_NAME to name the release');
}

/** OSV release ecosystems by os-release `ID` (OSV schema, "Defined ecosystems"). */
const RELEASES: Readonly<Record<string, ReleaseOf>> = {
  debian: (os) => {
    const release = os.versionId?.split('.')[0] ?? DEBIAN_CODENAMES[os.versionCodename ?? ''];
    return release
      ? exact(`Debian:${release}`)
      : 'Debian release without a version number (testing or unstable) has no OSV release data';
  },
  // `Ubuntu:22.04:LTS` for LTS releases, `Ubuntu:23.10` otherwise; `Ubuntu:Pro:…` fixes need an Ubuntu Pro subscription.
  ubuntu: (os) => {
    const version = os.versionId;
    if (!version) return NO_VERSION;
    return {
      base: 'Ubuntu',
      label: `Ubuntu:${version}`,
      accepts: (e) => e === `Ubuntu:${version}` || e === `Ubuntu:${version}:LTS`,
    };
  },
  alpine: (os) => {
    const branch = os.versionId?.split('.').slice(0, 2).join('.');
    return branch ? exact(`Alpine:v${branch}`) : NO_VERSION;
  },
  wolfi: () => exact('Wolfi'),
  chainguard: () => exact('Chainguard'),
  almalinux: byMajor('AlmaLinux'),
  rocky: byMajor('Rocky Linux'),
  rhel: (os) => {
    const major = os.versionId?.split('.')[0];
    if (!major) return NO_VERSION;
    return {
      base: 'Red Hat',
      label: `Red Hat:enterprise_linux:${major}`,
      accepts: (e) => isRedHatRelease(e, major),
    };
  },
  'opensuse-leap': byPrettyName('openSUSE'),
  'opensuse-tumbleweed': byPrettyName('openSUSE'),
  sles: byPrettyName('SUSE'),
  mageia: (os) => (os.versionId ? exact(`Mageia:${os.versionId}`) : NO_VERSION),
  photon: (os) => (os.versionId ? exact(`Photon OS:${os.versionId}`) : NO_VERSION),
};

function osRelease(
  type: PackageType,
  os: OsInfo | undefined,
): { ok: true; release: Release } | { ok: false; reason: string } {
  if (!os) {
    return {
      ok: false,
      reason: `no operating system was identified, so ${type} packages cannot be placed in a distribution release`,
    };
  }
  const resolve = RELEASES[os.id];
  const release = resolve
    ? resolve(os)
    : `OSV publishes no vulnerability data for "${os.id}" ${type} packages`;
  return typeof release === 'string'
    ? { ok: false, reason: `${os.prettyName ?? os.id}: ${release}` }
    : { ok: true, release };
}

/**
 * Red Hat ecosystems name a product stream by CPE (`Red Hat:enterprise_linux:9::appstream`,
 * `Red Hat:rhel_eus:9.2::baseos`); every stream of the image's major release applies.
 */
function isRedHatRelease(ecosystem: string, major: string): boolean {
  const match = /^Red Hat:(enterprise_linux|rhel_[a-z0-9_]+):(\d+)/.exec(ecosystem);
  return match !== null && match[2] === major;
}

/** The OS a purl's `distro` qualifier names (`debian-12`, `alpine-3.20.3`, `ubuntu-22.04`), for packages read from SBOMs. */
function osFromPurl(purl: string): OsInfo | undefined {
  let distro: string | undefined;
  try {
    distro = PackageURL.fromString(purl).qualifiers?.distro;
  } catch {
    return undefined;
  }
  const match = distro ? /^([a-z][a-z0-9_-]*?)-(\d[\w.]*|[a-z]+)$/.exec(distro) : null;
  if (!match) return undefined;
  const [, id, release] = match as unknown as [string, string, string];
  const numeric = /^\d/.test(release);
  return { id, idLike: [], ...(numeric ? { versionId: release } : { versionCodename: release }) };
}
