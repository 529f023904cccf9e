/**
 * Version ordering per ecosystem, for deciding OSV `introduced`/`fixed`/`last_affected`/
 * `limit` events: dpkg (Debian, Ubuntu), apk (Alpine, Wolfi, Chainguard), rpm (RHEL family,
 * SUSE, …), semver (npm, Go, crates.io), PEP 440 (PyPI), Maven, RubyGems and NuGet, each a
 * port of the ecosystem's reference implementation. Parse once with `parseVersion` and
 * compare with `compareParsed` on hot paths; `compareVersions` is the convenience form.
 */
export { type VersionScheme, type VersionOrder, type ParsedVersion, VERSION_SCHEMES } from './types.js';
export { parseVersion, compareParsed, compareVersions, isValidVersion, isVersionScheme } from './compare.js';
export { schemeForEcosystem, schemeForRange } from './ecosystems.js';
