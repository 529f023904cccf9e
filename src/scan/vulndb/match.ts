import { throwIfAborted } from '../../kernel/index.js';
import type { OsInfo, Package, ScanNotice } from '../inventory/types.js';
import {
  type ParsedVersion,
  type VersionScheme,
  compareVersions,
  schemeForEcosystem,
} from '../versions/index.js';
import type { AdvisoryReader, StoredAdvisory, StoredAffected } from './advisory-store.js';
import type { Finding } from './finding.js';
import { type AdvisoryHit, compareFindings, groupHits, highestSeverity, isBundle } from './finding-groups.js';
import type { OsvRange, OsvReference, OsvSeverity } from './osv.js';
import { type MatchTarget, lookupKeys, resolveTarget } from './package-targets.js';
import { type CompiledRanges, VersionCache, compileRanges, evaluateRange } from './range-eval.js';
import { advisorySeverity } from './severity.js';

/**
 * Matching installed packages against the vulnerability database: one lookup for every
 * (ecosystem, package) pair present, each version parsed once, ranges evaluated in memory
 * with the ecosystem's own ordering, then advisories that describe one vulnerability merged
 * into one finding per package.
 */

export const MatchNoticeCode = {
  /** The package's distribution has no OSV data, or could not be identified. */
  EcosystemUnsupported: 'SCAN_VULN_ECOSYSTEM_UNSUPPORTED',
  /** The installed version does not parse in the ecosystem's ordering: its advisories were not evaluated. */
  VersionInvalid: 'SCAN_VULN_VERSION_INVALID',
  /** An advisory's range could not be evaluated (unknown ordering, unparseable version). */
  RangeUndecidable: 'SCAN_VULN_RANGE_UNDECIDABLE',
} as const;

export interface MatchResult {
  findings: Finding[];
  notices: ScanNotice[];
  stats: MatchStats;
}

export interface MatchStats {
  packages: number;
  /** Packages with an OSV ecosystem to look in. */
  matchable: number;
  /** Affected entries the lookup returned. */
  candidates: number;
  /** Advisories that matched some package. */
  advisories: number;
}

/** One package affected by one advisory, before advisories are merged into findings. */
export interface AdvisoryMatch {
  target: MatchTarget;
  advisoryId: string;
  fixed: string[];
  entry: StoredAffected;
}

/** Notices of one code beyond this many are summarised: ten thousand unparseable versions must not make ten thousand notices. */
const MAX_NOTICES_PER_CODE = 20;

/** Packages looked up per database query. */
const TARGETS_PER_LOOKUP = 2000;

/** Matches packages (of one image platform, whose OS is `os`) against the database behind `reader`. */
export async function matchPackages(
  packages: readonly Package[],
  os: OsInfo | undefined,
  reader: AdvisoryReader,
  options: { signal?: AbortSignal } = {},
): Promise<MatchResult> {
  const notices = new Notices();
  const targets: MatchTarget[] = [];
  const unsupported = new Map<string, number>();
  packages.forEach((pkg, index) => {
    const resolved = resolveTarget(pkg, index, os);
    if (resolved.ok) targets.push(resolved.target);
    else unsupported.set(resolved.reason, (unsupported.get(resolved.reason) ?? 0) + 1);
  });
  for (const [reason, count] of unsupported) {
    notices.add(
      MatchNoticeCode.EcosystemUnsupported,
      `${count} package${count === 1 ? '' : 's'} not matched: ${reason}`,
    );
  }
  // In slices, so that only the entries that matched outlive their slice: candidates are
  // usually several times the findings.
  const matches: AdvisoryMatch[] = [];
  let candidates = 0;
  for (let start = 0; start < targets.length; start += TARGETS_PER_LOOKUP) {
    const slice = targets.slice(start, start + TARGETS_PER_LOOKUP);
    const entries = await reader.findAffected(lookupKeys(slice), options);
    throwIfAborted(options.signal);
    candidates += entries.length;
    for (const match of findAdvisoryMatches(slice, entries, packages, notices)) matches.push(match);
  }
  const ids = [...new Set(matches.map((m) => m.advisoryId))];
  const advisories = new Map((await reader.findAdvisories(ids, options)).map((a) => [a.id, a]));
  const findings = buildFindings(packages, matches, advisories);
  return {
    findings,
    notices: notices.list(),
    stats: {
      packages: packages.length,
      matchable: targets.length,
      candidates,
      advisories: ids.length,
    },
  };
}

/** Evaluates every candidate entry against the packages it names; pure. */
export function findAdvisoryMatches(
  targets: readonly MatchTarget[],
  entries: readonly StoredAffected[],
  packages: readonly Package[],
  notices = new Notices(),
): AdvisoryMatch[] {
  const byKey = new Map<string, StoredAffected[]>();
  for (const entry of entries) {
    const key = `${entry.ecosystemBase}\u0000${entry.name}`;
    const list = byKey.get(key);
    if (list) list.push(entry);
    else byKey.set(key, [entry]);
  }
  const cache = new VersionCache();
  const compiled = new Map<StoredAffected, CompiledRanges>();
  const out: AdvisoryMatch[] = [];
  for (const target of targets) {
    const perAdvisory = new Map<string, AdvisoryMatch>();
    const installed = new Map<VersionScheme, ParsedVersion | null>();
    for (const name of target.names) {
      for (const entry of byKey.get(`${target.ecosystemBase}\u0000${name}`) ?? []) {
        if (!target.accepts(entry.ecosystem)) continue;
        const verdict = evaluateEntry(target, entry, cache, compiled, installed, packages, notices);
        if (!verdict.affected) continue;
        const existing = perAdvisory.get(entry.advisoryId);
        if (existing) existing.fixed.push(...verdict.fixed.filter((f) => !existing.fixed.includes(f)));
        else
          perAdvisory.set(entry.advisoryId, {
            target,
            advisoryId: entry.advisoryId,
            fixed: verdict.fixed,
            entry,
          });
      }
    }
    out.push(...perAdvisory.values());
  }
  return out;
}

function evaluateEntry(
  target: MatchTarget,
  entry: StoredAffected,
  cache: VersionCache,
  compiled: Map<StoredAffected, CompiledRanges>,
  installed: Map<VersionScheme, ParsedVersion | null>,
  packages: readonly Package[],
  notices: Notices,
): { affected: boolean; fixed: string[] } {
  const listed = entry.versions.includes(target.version);
  let ranges = compiled.get(entry);
  if (!ranges) {
    ranges = compileRanges(asRanges(entry.ranges), entry.ecosystem, cache);
    compiled.set(entry, ranges);
    if (!ranges.ok)
      notices.add(
        MatchNoticeCode.RangeUndecidable,
        `${entry.advisoryId} (${entry.ecosystem} ${entry.name}): ${ranges.problem}`,
      );
  }
  if (!ranges.ok) return { affected: listed, fixed: [] };
  const fixed: string[] = [];
  let affected = listed;
  for (const range of ranges.ranges) {
    let version = installed.get(range.scheme);
    if (version === undefined) {
      version = cache.parse(range.scheme, target.version) ?? null;
      installed.set(range.scheme, version);
      if (version === null) {
        const pkg = packages[target.index]!;
        notices.add(
          MatchNoticeCode.VersionInvalid,
          `${pkg.name} ${target.version} is not a valid ${range.scheme} version; its ${target.ecosystem} advisories were not evaluated`,
          pkg.locations[0],
        );
      }
    }
    if (version === null) continue;
    const verdict = evaluateRange(range, version);
    if (verdict.affected === true) {
      affected = true;
      if (verdict.fixed !== undefined && !fixed.includes(verdict.fixed)) fixed.push(verdict.fixed);
    }
  }
  return { affected, fixed };
}

/** Merges the advisories matched for each package into one finding per vulnerability. */
export function buildFindings(
  packages: readonly Package[],
  matches: readonly AdvisoryMatch[],
  advisories: ReadonlyMap<string, StoredAdvisory>,
): Finding[] {
  const byPackage = new Map<number, AdvisoryMatch[]>();
  for (const match of matches) {
    const list = byPackage.get(match.target.index);
    if (list) list.push(match);
    else byPackage.set(match.target.index, [match]);
  }
  const findings: Finding[] = [];
  for (const [index, list] of byPackage) {
    const pkg = packages[index]!;
    const target = list[0]!.target;
    const scheme = schemeForEcosystem(target.ecosystem);
    const hits = list.flatMap((m) => {
      const advisory = advisories.get(m.advisoryId);
      return advisory ? [toHit(m, advisory)] : [];
    });
    for (const group of groupHits(hits)) {
      const fixed = [...new Set(group.hits.flatMap((h) => h.fixed))];
      if (scheme) fixed.sort((a, b) => compareVersions(scheme, a, b));
      const summary =
        group.hits.find((h) => h.summary && !isBundle(h))?.summary ??
        group.hits.find((h) => h.summary)?.summary;
      findings.push({
        id: group.id,
        aliases: [...group.ids].filter((id) => id !== group.id).sort(),
        advisories: [...new Set(group.hits.map((h) => h.id))].sort(),
        package: {
          name: pkg.name,
          version: pkg.version,
          type: pkg.type,
          purl: pkg.purl,
          ...(pkg.source ? { source: pkg.source } : {}),
          ecosystem: target.ecosystem,
          locations: pkg.locations,
        },
        fixedVersions: fixed,
        severity: highestSeverity(group.hits),
        ...(summary ? { summary } : {}),
        urls: [...new Set(group.hits.flatMap((h) => h.urls))],
        origin: 'osv',
        suppressed: false,
      });
    }
  }
  return findings.sort(compareFindings);
}

function toHit(match: AdvisoryMatch, advisory: StoredAdvisory): AdvisoryHit {
  const severity = advisorySeverity({
    advisoryId: advisory.id,
    affectedSeverity: asSeverities(match.entry.severity),
    recordSeverity: asSeverities(advisory.severity),
    ecosystemSpecific: match.entry.ecosystemSpecific,
    affectedDatabaseSpecific: match.entry.databaseSpecific,
    recordDatabaseSpecific: advisory.databaseSpecific,
    summary: advisory.summary,
  });
  return {
    id: advisory.id,
    aliases: advisory.aliases,
    upstream: advisory.upstream,
    related: advisory.related,
    fixed: match.fixed,
    severity,
    summary: advisory.summary ?? firstSentence(advisory.detailsExcerpt),
    urls: asReferences(advisory.references).map((r) => r.url),
  };
}

/** The first sentence of the details, line breaks undone (converted records break lines anywhere), at most 200 characters. */
function firstSentence(text: string | null): string | undefined {
  if (!text) return undefined;
  const sentence = text
    .replace(/\s+/g, ' ')
    .trim()
    .split(/(?<=[.!?]) /)[0]!;
  return sentence === '' ? undefined : sentence.length > 200 ? `${sentence.slice(0, 199)}…` : sentence;
}

/** The importer validated these JSON columns; an unexpected shape is read as empty rather than trusted. */
function asRanges(value: unknown): OsvRange[] {
  return Array.isArray(value) ? (value as OsvRange[]).filter((r) => r && Array.isArray(r.events)) : [];
}

function asSeverities(value: unknown): OsvSeverity[] {
  return Array.isArray(value) ? (value as OsvSeverity[]).filter((s) => s && typeof s.score === 'string') : [];
}

function asReferences(value: unknown): OsvReference[] {
  return Array.isArray(value) ? (value as OsvReference[]).filter((r) => r && typeof r.url === 'string') : [];
}

/** Keeps the first few notices of each code and counts the rest. */
export class Notices {
  private readonly kept: ScanNotice[] = [];
  private readonly counts = new Map<string, number>();

  add(code: string, message: string, path?: string): void {
    const count = (this.counts.get(code) ?? 0) + 1;
    this.counts.set(code, count);
    if (count <= MAX_NOTICES_PER_CODE)
      this.kept.push({ level: 'warning', code, message, ...(path ? { path } : {}) });
  }

  list(): ScanNotice[] {
    const out = [...this.kept];
    for (const [code, count] of this.counts) {
      if (count > MAX_NOTICES_PER_CODE)
        out.push({
          level: 'warning',
          code,
          message: `${count - MAX_NOTICES_PER_CODE} more notices of this kind were omitted`,
        });
    }
    return out;
  }
}
