import type { Severity } from './severity.js';
import { compareSeverity } from './severity.js';

/**
 * Which matching advisories describe the same vulnerability. Identity is given by `aliases`
 * (the same vulnerability under another id) and by an `upstream` or `related` that names a
 * single CVE (DEBIAN-CVE-2022-0778 → CVE-2022-0778; an AlmaLinux erratum for one CVE).
 * Distribution advisories that bundle several CVEs (DSA, DLA, ALSA: several upstream or
 * related CVEs, no aliases) are not one vulnerability: they join the finding of each CVE they
 * cover, so that every CVE stays one finding an exception can name.
 */

export interface AdvisoryHit {
  id: string;
  aliases: readonly string[];
  upstream: readonly string[];
  related: readonly string[];
  fixed: readonly string[];
  severity: Severity;
  summary?: string;
  urls: readonly string[];
}

export interface HitGroup {
  /** Preferred identifier: the lowest CVE, else the lowest advisory id. */
  id: string;
  ids: Set<string>;
  hits: AdvisoryHit[];
}

const CVE = /^CVE-(\d{4})-(\d+)$/;

export function groupHits(hits: readonly AdvisoryHit[]): HitGroup[] {
  const groups: { ids: Set<string>; hits: AdvisoryHit[] }[] = [];
  const groupOf = new Map<string, number>();
  const bundles: { hit: AdvisoryHit; cves: string[] }[] = [];
  for (const hit of hits) {
    const covered = coveredCves(hit);
    if (hit.aliases.length === 0 && covered.length >= 2) {
      bundles.push({ hit, cves: covered });
      continue;
    }
    const identity = [hit.id, ...hit.aliases, ...(covered.length === 1 ? [...hit.upstream, ...covered] : [])];
    const target = mergeGroups(groups, groupOf, identity);
    groups[target]!.hits.push(hit);
  }
  for (const { hit, cves } of bundles) {
    const joined = new Set<number>();
    for (const cve of cves) {
      const target = mergeGroups(groups, groupOf, [cve]);
      if (joined.has(target)) continue;
      joined.add(target);
      groups[target]!.ids.add(hit.id);
      groups[target]!.hits.push(hit);
    }
  }
  return groups.filter((g) => g.hits.length > 0).map((g) => ({ ...g, id: preferredId(g.ids, g.hits) }));
}

/** The highest severity of a group. */
export function highestSeverity(hits: readonly AdvisoryHit[]): Severity {
  return hits.map((h) => h.severity).reduce((best, s) => (compareSeverity(s, best) > 0 ? s : best));
}

/** A distribution advisory for several CVEs at once (DSA, DLA, ALSA), rather than one vulnerability. */
export function isBundle(hit: AdvisoryHit): boolean {
  return hit.aliases.length === 0 && coveredCves(hit).length >= 2;
}

/** The CVEs an advisory says it is about, when it has no aliases of its own: from `upstream`, else from `related`. */
function coveredCves(hit: AdvisoryHit): string[] {
  const source = hit.upstream.length > 0 ? hit.upstream : hit.aliases.length === 0 ? hit.related : [];
  return [...new Set(source.filter((id) => CVE.test(id)))];
}

/** Puts identifiers in one group, merging the groups they were already in; returns that group's index. */
function mergeGroups(
  groups: { ids: Set<string>; hits: AdvisoryHit[] }[],
  groupOf: Map<string, number>,
  identity: string[],
): number {
  const existing = [
    ...new Set(identity.map((id) => groupOf.get(id)).filter((g): g is number => g !== undefined)),
  ];
  let target: number;
  if (existing.length === 0) {
    groups.push({ ids: new Set(), hits: [] });
    target = groups.length - 1;
  } else {
    target = Math.min(...existing);
    for (const other of existing) {
      if (other === target) continue;
      for (const id of groups[other]!.ids) {
        groups[target]!.ids.add(id);
        groupOf.set(id, target);
      }
      groups[target]!.hits.push(...groups[other]!.hits);
      groups[other] = { ids: new Set(), hits: [] };
    }
  }
  for (const id of identity) {
    groups[target]!.ids.add(id);
    groupOf.set(id, target);
  }
  return target;
}

function preferredId(ids: Set<string>, hits: readonly AdvisoryHit[]): string {
  const cves = [...ids].filter((id) => CVE.test(id)).sort(compareCve);
  if (cves.length > 0) return cves[0]!;
  return [...hits.map((h) => h.id)].sort()[0]!;
}

/** CVE-2021-4160 before CVE-2021-23840: by year, then by number. */
function compareCve(a: string, b: string): number {
  const [, ay, an] = CVE.exec(a)!;
  const [, by, bn] = CVE.exec(b)!;
  return Number(ay) - Number(by) || Number(an) - Number(bn);
}

/** Findings in a stable, locale-independent order: by package name, version, then id. */
export function compareFindings(
  a: { id: string; package: { name: string; version: string } },
  b: { id: string; package: { name: string; version: string } },
): number {
  return (
    compareText(a.package.name, b.package.name) ||
    compareText(a.package.version, b.package.version) ||
    compareText(a.id, b.id)
  );
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
