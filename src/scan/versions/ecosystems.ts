import type { VersionScheme } from './types.js';

/**
 * Which ordering the versions of an OSV ecosystem follow. Ecosystem names are those of the
 * OSV schema (`ecosystems.json`, matched exactly, case included), with the `:suffix` that
 * scopes a release or repository ignored (`Debian:12`, `Ubuntu:Pro:18.04:LTS`,
 * `Alpine:v3.20`, `Red Hat:rhel_aus:8.4::appstream`, `Maven:https://maven.google.com`).
 * The assignment follows osv.dev's own (`osv/ecosystems/_ecosystems.py`), plus a few rpm
 * distributions that vulnerability feeds name outside OSV.
 */
const SCHEMES: ReadonlyMap<string, VersionScheme> = new Map<string, VersionScheme>([
  ['Debian', 'dpkg'],
  ['Ubuntu', 'dpkg'],
  // Echo's own packages are Debian packages; `Echo:PyPI` and `Echo:Maven` are handled below.
  ['Echo', 'dpkg'],
  ['Alpine', 'apk'],
  ['Alpaquita', 'apk'],
  ['BellSoft Hardened Containers', 'apk'],
  ['Chainguard', 'apk'],
  ['CleanStart', 'apk'],
  ['MinimOS', 'apk'],
  ['Wolfi', 'apk'],
  ['AlmaLinux', 'rpm'],
  ['Azure Linux', 'rpm'],
  ['Mageia', 'rpm'],
  ['openEuler', 'rpm'],
  ['openSUSE', 'rpm'],
  ['Photon OS', 'rpm'],
  ['Red Hat', 'rpm'],
  ['Rocky Linux', 'rpm'],
  ['SUSE', 'rpm'],
  // Not OSV ecosystem names; the same rpm ordering under the names other feeds use.
  ['Amazon Linux', 'rpm'],
  ['CBL-Mariner', 'rpm'],
  ['Fedora', 'rpm'],
  ['Oracle Linux', 'rpm'],
  ['Bitnami', 'semver'],
  ['crates.io', 'semver'],
  ['Docker Hardened Images', 'semver'],
  ['Go', 'semver'],
  ['Hex', 'semver'],
  ['Julia', 'semver'],
  ['npm', 'semver'],
  ['SwiftURL', 'semver'],
  ['PyPI', 'pep440'],
  ['Maven', 'maven'],
  ['RubyGems', 'rubygems'],
  ['NuGet', 'nuget'],
]);

/**
 * `Echo:<suffix>` delegates by suffix, everything else being Debian packages. `Echo:npm`
 * orders `+echo.N` builds, which semver precedence ignores, so it has no scheme here.
 */
const ECHO_VARIANTS: Readonly<Record<string, VersionScheme | undefined>> = {
  pypi: 'pep440',
  maven: 'maven',
  npm: undefined,
};

/**
 * The version scheme of an OSV ecosystem string, or undefined when Airlock has no ordering
 * for it (GIT, Packagist, Pub, Hackage, CRAN, Linux, Android, `Root:*` with its own patch
 * suffix rules, …): ranges in such ecosystems cannot be decided by version order.
 * `TuxCare:<ecosystem>` takes the scheme of the ecosystem it wraps.
 */
export function schemeForEcosystem(ecosystem: string): VersionScheme | undefined {
  const colon = ecosystem.indexOf(':');
  const name = colon < 0 ? ecosystem : ecosystem.slice(0, colon);
  const suffix = colon < 0 ? '' : ecosystem.slice(colon + 1);
  if (name === 'TuxCare') {
    return suffix === '' || suffix.startsWith('TuxCare') ? undefined : schemeForEcosystem(suffix);
  }
  if (name === 'Echo') {
    const variant = suffix.toLowerCase();
    return Object.hasOwn(ECHO_VARIANTS, variant) ? ECHO_VARIANTS[variant] : 'dpkg';
  }
  return SCHEMES.get(name);
}

/**
 * The scheme for one OSV range: `SEMVER` ranges are semver whatever the ecosystem (OSV
 * schema, "affected[].ranges[].type"); `ECOSYSTEM` ranges follow the ecosystem; `GIT`
 * ranges hold commits, not versions.
 */
export function schemeForRange(rangeType: string, ecosystem: string): VersionScheme | undefined {
  if (rangeType === 'SEMVER') return 'semver';
  if (rangeType === 'ECOSYSTEM') return schemeForEcosystem(ecosystem);
  return undefined;
}
