import { PackageURL } from 'packageurl-js';
import type { Package, PackageType } from '../inventory/types.js';

/**
 * Packages and package URLs (purl-spec, PURL-TYPES.rst). SBOMs identify packages by purl,
 * so reading one means turning purls back into packages; names follow the ecosystems'
 * vulnerability data (OSV): `@scope/name` for npm, the module path for Go, `group:artifact`
 * for Maven.
 */

const PURL_TYPES: Readonly<Record<string, PackageType>> = {
  deb: 'deb',
  apk: 'apk',
  rpm: 'rpm',
  npm: 'npm',
  pypi: 'pypi',
  golang: 'golang',
  maven: 'maven',
  gem: 'gem',
  cargo: 'cargo',
  nuget: 'nuget',
};

/** OS package types whose purls carry `arch` and `upstream` (the source package). */
const OS_TYPES: ReadonlySet<PackageType> = new Set(['deb', 'apk', 'rpm']);

export type PurlPackage = Pick<Package, 'type' | 'name' | 'version' | 'purl' | 'source' | 'architecture'>;

export type PurlReading =
  | { ok: true; package: PurlPackage; namespace?: string; distro?: string }
  | { ok: false; reason: 'invalid' | 'unsupported-type'; purlType?: string; message: string };

/** A package from its purl, or why the purl cannot make one. */
export function readPurl(purl: string): PurlReading {
  let parsed: PackageURL;
  try {
    parsed = PackageURL.fromString(purl);
  } catch (error) {
    return { ok: false, reason: 'invalid', message: `invalid purl "${purl}": ${(error as Error).message}` };
  }
  const type = PURL_TYPES[parsed.type];
  if (type === undefined) {
    return {
      ok: false,
      reason: 'unsupported-type',
      purlType: parsed.type,
      message: `purl type "${parsed.type}" is not inventoried`,
    };
  }
  const qualifiers = parsed.qualifiers ?? {};
  const pkg: PurlPackage = {
    type,
    name: packageName(type, parsed),
    version: purlVersion(type, parsed),
    purl,
  };
  const source = OS_TYPES.has(type) ? upstreamSource(type, qualifiers.upstream) : undefined;
  if (source) pkg.source = source;
  if (qualifiers.arch) pkg.architecture = qualifiers.arch;
  const reading: PurlReading = { ok: true, package: pkg };
  if (parsed.namespace) reading.namespace = parsed.namespace;
  if (qualifiers.distro) reading.distro = qualifiers.distro;
  return reading;
}

/**
 * The package's purl with what an SBOM consumer needs to match OS packages and that the
 * package knows but its purl may not say: `arch`, and `upstream` (the source package, which
 * Debian and Red Hat vulnerability data are keyed by). Other purls are returned unchanged.
 */
export function completePurl(pkg: Package): string {
  if (!OS_TYPES.has(pkg.type)) return pkg.purl;
  let parsed: PackageURL;
  try {
    parsed = PackageURL.fromString(pkg.purl);
  } catch {
    return pkg.purl;
  }
  const qualifiers = { ...parsed.qualifiers };
  let changed = false;
  if (pkg.architecture && !qualifiers.arch) {
    qualifiers.arch = pkg.architecture;
    changed = true;
  }
  if (pkg.source && !qualifiers.upstream) {
    qualifiers.upstream = formatUpstream(pkg.type, pkg.source);
    changed = true;
  }
  if (!changed) return pkg.purl;
  return new PackageURL(
    parsed.type,
    parsed.namespace,
    parsed.name,
    parsed.version,
    qualifiers,
    parsed.subpath,
  ).toString();
}

export interface ImagePurlInput {
  /** Repository without tag or digest (`docker.io/library/debian`); becomes `repository_url`. */
  repository?: string;
  /** Image name when there is no repository (an OCI layout's reference name). */
  name?: string;
  tag?: string;
  digest: string;
  architecture?: string;
}

/** `pkg:oci/<name>@<digest>?arch=…&repository_url=…&tag=…` (PURL-TYPES.rst, "oci"). */
export function imagePurl(input: ImagePurlInput): string {
  const name = (input.repository?.split('/').pop() ?? input.name ?? 'image').toLowerCase();
  const qualifiers: Record<string, string> = {};
  if (input.architecture) qualifiers.arch = input.architecture;
  if (input.repository) qualifiers.repository_url = input.repository;
  if (input.tag) qualifiers.tag = input.tag;
  return new PackageURL('oci', undefined, name, input.digest, qualifiers, undefined).toString();
}

function packageName(type: PackageType, purl: PackageURL): string {
  if (!purl.namespace) return purl.name;
  switch (type) {
    case 'npm':
    case 'golang':
      return `${purl.namespace}/${purl.name}`;
    case 'maven':
      return `${purl.namespace}:${purl.name}`;
    default:
      // deb/rpm/apk namespaces name the vendor (debian, redhat, alpine), not part of the package.
      return purl.name;
  }
}

function purlVersion(type: PackageType, purl: PackageURL): string {
  const version = purl.version ?? '';
  const epoch = purl.qualifiers?.epoch;
  // RPM purls carry the epoch as a qualifier; rpm compares "epoch:version-release".
  if (type === 'rpm' && epoch && epoch !== '0' && !version.includes(':')) return `${epoch}:${version}`;
  return version;
}

function formatUpstream(type: PackageType, source: { name: string; version?: string }): string {
  if (type === 'rpm') return source.version ? `${source.name}-${source.version}.src.rpm` : source.name;
  if (type === 'deb' && source.version) return `${source.name}@${source.version}`;
  return source.name;
}

/** `upstream` as syft and Airlock write it: `src@version` (deb), the source RPM file name, the apk origin. */
function upstreamSource(type: PackageType, upstream: string | undefined): Package['source'] {
  if (!upstream) return undefined;
  if (type === 'rpm') {
    const match = /^(.+)-([^-]+)-([^-]+)\.(?:no)?src\.rpm$/.exec(upstream);
    return match ? { name: match[1]!, version: `${match[2]}-${match[3]}` } : { name: upstream };
  }
  const at = upstream.lastIndexOf('@');
  if (at > 0 && at < upstream.length - 1) {
    return { name: upstream.slice(0, at), version: upstream.slice(at + 1) };
  }
  return { name: upstream };
}
