import { PackageURL } from 'packageurl-js';
import type { OsInfo } from '../../inventory/types.js';

/**
 * Package URLs for OS packages (purl-spec PURL-TYPES: `deb`, `apk`, `rpm`). The namespace is
 * the distribution's vendor, and the `distro` qualifier names the release
 * (`distro=debian-12`), as Syft and Trivy write them, so that SBOMs from either tool and from
 * Airlock identify the same package the same way.
 */

/**
 * rpm vendors whose purl namespace differs from the os-release `ID`: Red Hat writes
 * `pkg:rpm/redhat/…` in its own SBOMs and VEX files; SUSE and openSUSE use one namespace for
 * all their products.
 */
const RPM_VENDORS: Readonly<Record<string, string>> = {
  rhel: 'redhat',
  ol: 'oracle',
  amzn: 'amazon',
  opensuse: 'opensuse',
  'opensuse-leap': 'opensuse',
  'opensuse-tumbleweed': 'opensuse',
  sles: 'suse',
  sles_sap: 'suse',
  sled: 'suse',
  'sle-micro': 'suse',
};

/** `<id>-<VERSION_ID>`, or `<id>-<codename>` for releases without a number (Debian testing). */
export function distroQualifier(os: OsInfo | undefined): string | undefined {
  if (!os) return undefined;
  const release = os.versionId ?? os.versionCodename;
  return release === undefined ? undefined : `${os.id}-${release}`;
}

/** The purl namespace of an rpm package: the vendor, from the OS (`fedora`, `redhat`, `almalinux`). */
export function rpmNamespace(os: OsInfo | undefined): string | undefined {
  if (!os) return undefined;
  return RPM_VENDORS[os.id] ?? os.id;
}

/** Builds a purl string; qualifiers with undefined or empty values are left out. */
export function buildPurl(
  type: 'deb' | 'apk' | 'rpm',
  namespace: string | undefined,
  name: string,
  version: string,
  qualifiers: Record<string, string | undefined>,
): string {
  const present: Record<string, string> = {};
  for (const [key, value] of Object.entries(qualifiers)) if (value) present[key] = value;
  const purl = new PackageURL(
    type,
    namespace,
    name,
    version,
    Object.keys(present).length > 0 ? present : undefined,
  );
  return purl.toString();
}
