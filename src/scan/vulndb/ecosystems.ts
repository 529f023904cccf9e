/**
 * OSV ecosystem strings (`Debian:12`, `Ubuntu:Pro:22.04:LTS`, `Red Hat:rhel_aus:8.4::appstream`,
 * `Maven:https://maven.google.com`) and package names as each ecosystem compares them.
 */

/** The ecosystem without its release or repository suffix: `Debian:12` → `Debian`. */
export function ecosystemBase(ecosystem: string): string {
  const colon = ecosystem.indexOf(':');
  return colon < 0 ? ecosystem : ecosystem.slice(0, colon);
}

/**
 * A package name in the form lookups use, so that spellings the ecosystem treats as one
 * package meet: PyPI names per PEP 503 ("Normalized names": lower case, runs of `-_.` → `-`);
 * NuGet and Packagist names are case-insensitive. Other ecosystems compare names exactly.
 */
export function normalizePackageName(base: string, name: string): string {
  switch (base) {
    case 'PyPI':
      return name.toLowerCase().replace(/[-_.]+/g, '-');
    case 'NuGet':
    case 'Packagist':
      return name.toLowerCase();
    default:
      return name;
  }
}

/**
 * The OSV ecosystems Airlock's package detectors produce packages for, and so the archives
 * `airlock db update` fetches unless told otherwise. Names are OSV's (and the paths of its
 * per-ecosystem archives).
 */
export const DETECTED_ECOSYSTEMS: readonly string[] = [
  'Debian',
  'Ubuntu',
  'Alpine',
  'Wolfi',
  'Chainguard',
  'AlmaLinux',
  'Rocky Linux',
  'Red Hat',
  'npm',
  'PyPI',
  'Go',
  'Maven',
  'crates.io',
  'RubyGems',
  'NuGet',
];
