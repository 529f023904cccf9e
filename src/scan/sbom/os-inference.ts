import type { OsInfo } from '../inventory/types.js';

/** What the purl of an OS package says about its distribution. */
export interface DistroHint {
  /** The purl namespace: debian, ubuntu, alpine, wolfi, redhat, … */
  namespace?: string;
  /** The `distro` qualifier: `debian-12` (syft), `debian-12.5`, `3.20.3` (trivy apk), `wolfi`. */
  distro?: string;
}

/**
 * The operating system of an SBOM that does not state one, from the `distro` qualifiers (or
 * else namespaces) of its OS packages' purls: the most frequent one, so that a stray package
 * of another distribution does not decide it.
 */
export function inferOsFromPurls(hints: readonly DistroHint[]): OsInfo | undefined {
  const counts = new Map<string, { os: OsInfo; count: number }>();
  for (const hint of hints) {
    const os = osFromHint(hint);
    if (!os) continue;
    const key = `${os.id}\n${os.versionId ?? ''}`;
    const entry = counts.get(key) ?? { os, count: 0 };
    entry.count += 1;
    counts.set(key, entry);
  }
  let best: { os: OsInfo; count: number } | undefined;
  for (const entry of counts.values()) if (!best || entry.count > best.count) best = entry;
  return best?.os;
}

// Names tools use for a distribution where os-release says otherwise.
const OS_RELEASE_IDS: Readonly<Record<string, string>> = { redhat: 'rhel' };

function osFromHint(hint: DistroHint): OsInfo | undefined {
  const os = rawOsFromHint(hint);
  if (os) os.id = OS_RELEASE_IDS[os.id] ?? os.id;
  return os;
}

function rawOsFromHint(hint: DistroHint): OsInfo | undefined {
  const distro = hint.distro?.trim().toLowerCase();
  const namespace = hint.namespace?.trim().toLowerCase() || undefined;
  if (distro) {
    const named = /^([a-z][a-z0-9_]*(?:-[a-z][a-z0-9_]*)*)-(\d[\w.~+]*)$/.exec(distro);
    if (named) return { id: named[1]!, versionId: named[2]!, idLike: [] };
    if (/^\d[\w.~+]*$/.test(distro)) {
      return namespace ? { id: namespace, versionId: distro, idLike: [] } : undefined;
    }
    if (/^[a-z][a-z0-9_-]*$/.test(distro)) return { id: distro, idLike: [] };
  }
  return namespace ? { id: namespace, idLike: [] } : undefined;
}
