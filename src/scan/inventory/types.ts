/**
 * What an image contains, as detectors report it: the operating system and the packages
 * installed by OS package managers and language ecosystems. Keyed by platform digest for
 * multi-arch images.
 */

/** Package ecosystems Airlock inventories; the purl type of each is in parentheses. */
export type PackageType =
  | 'deb' // Debian, Ubuntu, distroless (pkg:deb)
  | 'apk' // Alpine, Wolfi, Chainguard (pkg:apk)
  | 'rpm' // RHEL, Fedora, AlmaLinux, Rocky, Amazon Linux, CBL-Mariner (pkg:rpm)
  | 'npm' // (pkg:npm)
  | 'pypi' // (pkg:pypi)
  | 'golang' // Go modules and the Go standard library in binaries (pkg:golang)
  | 'maven' // Java archives (pkg:maven)
  | 'gem' // Ruby (pkg:gem)
  | 'cargo' // Rust binaries with cargo-auditable data (pkg:cargo)
  | 'nuget'; // .NET (pkg:nuget)

/** The operating system of an image, from `/etc/os-release` (or `/usr/lib/os-release`). */
export interface OsInfo {
  /** `ID`: debian, ubuntu, alpine, rhel, almalinux, rocky, fedora, amzn, wolfi, chainguard, … */
  id: string;
  /** `VERSION_ID`: 12, 22.04, 3.20.3, 9.4, … (absent on rolling distributions such as Wolfi). */
  versionId?: string;
  versionCodename?: string;
  /** `ID_LIKE`, split. */
  idLike: string[];
  prettyName?: string;
  /** Set for distroless images (Google distroless `PRETTY_NAME="Distroless"`, or no shell and a dpkg status.d). */
  distroless?: boolean;
}

/** One installed package, as found in the image. */
export interface Package {
  type: PackageType;
  name: string;
  version: string;
  /** Package URL (purl spec), with distro qualifiers for OS packages (`?distro=debian-12&arch=amd64`). */
  purl: string;
  /**
   * The package it was built from, where vulnerability data is keyed by it: the Debian/Ubuntu
   * source package (with its version when it differs), the RPM source RPM, the apk origin.
   */
  source?: { name: string; version?: string };
  /** SPDX licence expressions or names as the metadata states them. */
  licenses?: string[];
  architecture?: string;
  /** Files (absolute paths in the image) the package was read from. */
  locations: string[];
  /** For packages inside binaries (Go, Rust, Java): the binary or archive path. */
  foundIn?: string;
}

/** Something a scan wants the user to know: a limit hit, a database it could not read. */
export interface ScanNotice {
  level: 'info' | 'warning';
  code: string;
  message: string;
  path?: string;
}

/** The inventory of one platform of an image. */
export interface Inventory {
  /** Digest of the platform's image manifest. */
  manifestDigest: string;
  platform?: { os: string; architecture: string; variant?: string };
  os?: OsInfo;
  packages: Package[];
  notices: ScanNotice[];
  /** `layers` when read from the image's layers, `sbom` when taken from an attached SBOM. */
  source: 'layers' | 'sbom';
}
