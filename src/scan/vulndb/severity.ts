import { scoreCvssVector } from './cvss/index.js';
import type { OsvSeverity } from './osv.js';

/**
 * Severity of a vulnerability: a CVSS score computed from the advisory's vector when it has
 * one (v4.0 preferred over v3.x over v2, as the most recent scoring standard), else the
 * qualitative rating the ecosystem's own database gives (Ubuntu priority, Debian urgency,
 * GitHub's advisory severity, Red Hat's impact in errata summaries).
 */

export type SeverityRating = 'UNKNOWN' | 'NONE' | 'LOW' | 'MEDIUM' | 'HIGH' | 'CRITICAL';

/** Ratings from least to most severe; UNKNOWN sorts lowest. */
export const SEVERITY_RATINGS: readonly SeverityRating[] = [
  'UNKNOWN',
  'NONE',
  'LOW',
  'MEDIUM',
  'HIGH',
  'CRITICAL',
];

export interface Severity {
  rating: SeverityRating;
  /** CVSS score, 0.0–10.0, when the rating comes from a vector. */
  score?: number;
  vector?: string;
  /** Where the rating comes from: `CVSS_V4`, `CVSS_V3`, `CVSS_V2`, `Ubuntu`, `Debian`, `GHSA`, `Red Hat`, or a scanner's source. */
  source: string;
  /** The advisory that carried it. */
  advisory?: string;
}

export const UNKNOWN_SEVERITY: Severity = { rating: 'UNKNOWN', source: 'none' };

/** What an advisory says about severity, at record and affected-entry level. */
export interface SeverityEvidence {
  advisoryId: string;
  /** `affected[].severity`, which the schema says replaces the record's for that package. */
  affectedSeverity: readonly OsvSeverity[];
  recordSeverity: readonly OsvSeverity[];
  ecosystemSpecific?: unknown;
  affectedDatabaseSpecific?: unknown;
  recordDatabaseSpecific?: unknown;
  summary?: string | null;
}

const CVSS_PREFERENCE = ['CVSS_V4', 'CVSS_V3', 'CVSS_V2'] as const;

/** Scores by vector: the same few thousand vectors recur across advisories. Bounded so a long-lived process does not grow. */
const scoreCache = new Map<string, ReturnType<typeof scoreCvssVector>>();
const SCORE_CACHE_LIMIT = 20_000;

function cachedScore(vector: string): ReturnType<typeof scoreCvssVector> {
  let score = scoreCache.get(vector);
  if (!score) {
    score = scoreCvssVector(vector);
    if (scoreCache.size >= SCORE_CACHE_LIMIT) scoreCache.clear();
    scoreCache.set(vector, score);
  }
  return score;
}

/** The severity an advisory gives a package. */
export function advisorySeverity(evidence: SeverityEvidence): Severity {
  const declared = evidence.affectedSeverity.length > 0 ? evidence.affectedSeverity : evidence.recordSeverity;
  for (const type of CVSS_PREFERENCE) {
    for (const entry of declared.filter((s) => s.type === type)) {
      const scored = cachedScore(entry.score);
      if (scored.ok)
        return {
          rating: cvssRating(scored.score, scored.version === '2.0'),
          score: scored.score,
          vector: entry.score,
          source: type,
          advisory: evidence.advisoryId,
        };
    }
  }
  const qualitative = qualitativeSeverity(evidence, declared);
  return qualitative
    ? { ...qualitative, advisory: evidence.advisoryId }
    : { ...UNKNOWN_SEVERITY, advisory: evidence.advisoryId };
}

function qualitativeSeverity(
  evidence: SeverityEvidence,
  declared: readonly OsvSeverity[],
): Omit<Severity, 'advisory'> | undefined {
  const ubuntu = declared.find((s) => s.type === 'Ubuntu');
  if (ubuntu) return { rating: UBUNTU_PRIORITY[ubuntu.score.toLowerCase()] ?? 'UNKNOWN', source: 'Ubuntu' };
  const urgency = stringField(evidence.ecosystemSpecific, 'urgency');
  if (urgency)
    return {
      rating: DEBIAN_URGENCY[urgency.replace(/\*+$/, '').trim().toLowerCase()] ?? 'UNKNOWN',
      source: 'Debian',
    };
  const github =
    stringField(evidence.affectedDatabaseSpecific, 'severity') ??
    stringField(evidence.recordDatabaseSpecific, 'severity');
  if (github && GITHUB_SEVERITY[github.toUpperCase()])
    return { rating: GITHUB_SEVERITY[github.toUpperCase()]!, source: 'GHSA' };
  const impact = /^(Critical|Important|Moderate|Low):/.exec(evidence.summary ?? '');
  if (impact) return { rating: RED_HAT_IMPACT[impact[1]!]!, source: 'Red Hat' };
  return undefined;
}

/**
 * Qualitative rating of a CVSS score: v3.x/v4.0 "Qualitative Severity Rating Scale"
 * (0 None, 0.1–3.9 Low, 4.0–6.9 Medium, 7.0–8.9 High, 9.0–10.0 Critical); v2 scores use
 * NVD's v2 bands (0–3.9 Low, 4.0–6.9 Medium, 7.0–10.0 High).
 */
export function cvssRating(score: number, v2 = false): SeverityRating {
  if (v2) return score >= 7 ? 'HIGH' : score >= 4 ? 'MEDIUM' : 'LOW';
  if (score === 0) return 'NONE';
  return score >= 9 ? 'CRITICAL' : score >= 7 ? 'HIGH' : score >= 4 ? 'MEDIUM' : 'LOW';
}

/** Orders severities: by rating, then by score (a scored rating above an unscored one of the same rating). */
export function compareSeverity(a: Severity, b: Severity): number {
  const byRating = SEVERITY_RATINGS.indexOf(a.rating) - SEVERITY_RATINGS.indexOf(b.rating);
  if (byRating !== 0) return byRating;
  return (a.score ?? -1) - (b.score ?? -1);
}

/** Parses a rating name case-insensitively (`high`, `Moderate`); unknown names give UNKNOWN. */
export function parseRating(text: string | undefined): SeverityRating {
  const upper = (text ?? '').trim().toUpperCase();
  if (upper === 'MODERATE') return 'MEDIUM';
  if (upper === 'NEGLIGIBLE') return 'LOW';
  return (SEVERITY_RATINGS as readonly string[]).includes(upper) ? (upper as SeverityRating) : 'UNKNOWN';
}

/** Ubuntu CVE priorities (https://ubuntu.com/security/cves/about#priority). */
const UBUNTU_PRIORITY: Readonly<Record<string, SeverityRating>> = {
  negligible: 'LOW',
  low: 'LOW',
  medium: 'MEDIUM',
  high: 'HIGH',
  critical: 'CRITICAL',
  untriaged: 'UNKNOWN',
};

/** Debian security tracker urgencies. */
const DEBIAN_URGENCY: Readonly<Record<string, SeverityRating>> = {
  unimportant: 'LOW',
  low: 'LOW',
  medium: 'MEDIUM',
  high: 'HIGH',
};

/** GitHub advisory database severities (GHSA `database_specific.severity`). */
const GITHUB_SEVERITY: Readonly<Record<string, SeverityRating>> = {
  LOW: 'LOW',
  MODERATE: 'MEDIUM',
  MEDIUM: 'MEDIUM',
  HIGH: 'HIGH',
  CRITICAL: 'CRITICAL',
};

/** Red Hat impact ratings, which Red Hat, AlmaLinux and Rocky errata summaries start with. */
const RED_HAT_IMPACT: Readonly<Record<string, SeverityRating>> = {
  Critical: 'CRITICAL',
  Important: 'HIGH',
  Moderate: 'MEDIUM',
  Low: 'LOW',
};

function stringField(value: unknown, field: string): string | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const found = (value as Record<string, unknown>)[field];
  return typeof found === 'string' && found !== '' ? found : undefined;
}

/** Whether any unsuppressed finding is at or above `threshold` (for `--fail-on`). */
export function hasFindingsAtOrAbove(
  scan: {
    platforms: readonly {
      findings: readonly { suppressed?: boolean; severity: { rating: SeverityRating } }[];
    }[];
  },
  threshold: SeverityRating,
): boolean {
  const floor = SEVERITY_RATINGS.indexOf(threshold);
  return scan.platforms.some((p) =>
    p.findings.some((f) => !f.suppressed && SEVERITY_RATINGS.indexOf(f.severity.rating) >= floor),
  );
}
