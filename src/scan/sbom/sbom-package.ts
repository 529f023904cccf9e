import type { Package } from '../inventory/types.js';
import type { ParsedSbom } from './types.js';
import type { DistroHint } from './os-inference.js';
import { readPurl } from './package-purl.js';

/** What a reader found about one SBOM entry (CycloneDX component, SPDX package). */
export interface EntryFacts {
  /** The entry's own name, for notices and as a fallback. */
  name: string;
  version?: string;
  purl?: string;
  licenses: string[];
  locations: string[];
  /** Source package stated outside the purl (tool-specific properties); the purl's `upstream` is the fallback. */
  source?: { name: string; version?: string };
  architecture?: string;
  foundIn?: string;
}

export type EntryResult = { ok: true; package: Package; distro?: DistroHint } | { ok: false; reason: string };

/** `ParsedSbom.describes` with only the fields the document states. */
export function describedEntry(
  name: string,
  version?: string,
  purl?: string,
): NonNullable<ParsedSbom['describes']> {
  const entry: NonNullable<ParsedSbom['describes']> = { name };
  if (version) entry.version = version;
  if (purl) entry.purl = purl;
  return entry;
}

const OS_PACKAGE_TYPES = new Set(['deb', 'apk', 'rpm']);

/**
 * A package from an SBOM entry. The purl decides ecosystem, name and version (that is what
 * vulnerability matching keys on); the entry's own version is used only when the purl has none.
 */
export function packageFromEntry(facts: EntryFacts): EntryResult {
  if (!facts.purl) return { ok: false, reason: 'no package URL' };
  const reading = readPurl(facts.purl);
  if (!reading.ok) {
    return {
      ok: false,
      reason:
        reading.reason === 'invalid'
          ? 'invalid package URL'
          : `purl type "${reading.purlType}" not inventoried`,
    };
  }
  const fromPurl = reading.package;
  const pkg: Package = {
    type: fromPurl.type,
    name: fromPurl.name,
    version: fromPurl.version || facts.version || '',
    purl: fromPurl.purl,
    locations: [...new Set(facts.locations)],
  };
  if (pkg.version === '') return { ok: false, reason: 'no version' };
  const source = facts.source ?? fromPurl.source;
  if (source) pkg.source = source;
  if (facts.licenses.length > 0) pkg.licenses = facts.licenses;
  const architecture = facts.architecture ?? fromPurl.architecture;
  if (architecture) pkg.architecture = architecture;
  if (facts.foundIn) pkg.foundIn = facts.foundIn;
  const result: EntryResult = { ok: true, package: pkg };
  if (OS_PACKAGE_TYPES.has(pkg.type))
    result.distro = { namespace: reading.namespace, distro: reading.distro };
  return result;
}
