import { PackageURL } from 'packageurl-js';
import type { PackageType } from '../../inventory/types.js';

/**
 * A package URL for a language package (purl-spec PURL-TYPES: `npm`, `pypi`, `golang`,
 * `maven`, `gem`), with each type's own normalisation left to packageurl-js (npm names are
 * lower-cased, the scope's `@` percent-encoded). An empty version leaves the version out.
 * Undefined when the library rejects the components (an empty name), so that one bad
 * manifest never fails a scan.
 */
export function buildLangPurl(
  type: Extract<PackageType, 'npm' | 'pypi' | 'golang' | 'maven' | 'gem'>,
  namespace: string | undefined,
  name: string,
  version: string,
  qualifiers?: Record<string, string>,
): string | undefined {
  try {
    return new PackageURL(type, namespace || undefined, name, version || undefined, qualifiers).toString();
  } catch {
    return undefined;
  }
}
