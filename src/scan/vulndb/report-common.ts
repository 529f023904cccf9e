import { PackageURL } from 'packageurl-js';
import { AppError } from '../../kernel/index.js';
import type { Finding, FindingPackage } from './finding.js';
import { type AdvisoryHit, compareFindings, groupHits, highestSeverity } from './finding-groups.js';

/** What the Trivy and Grype report readers share: the result shape, merging, and JSON field access. */

export interface ImportedScan {
  scanner: 'trivy' | 'grype';
  scannerVersion?: string;
  /** What was scanned, as the report names it (`alpine:3.18`), and the manifest digests it gives. */
  artifact: { name?: string; digests: string[] };
  os?: { family: string; version?: string };
  /** The platform scanned, when the report says (Grype's target, Trivy's image config). */
  platform?: { os: string; architecture: string; variant?: string };
  /** When the scanner wrote the report (Trivy's `CreatedAt`, Grype's `descriptor.timestamp`). */
  createdAt?: string;
  /** The scanner's vulnerability database, when the report describes it (Grype's `descriptor.db`). */
  database?: { version: string };
  findings: Finding[];
}

/** `{ os, architecture, variant? }` when both of the first two are strings. */
export function platformOf(
  os: unknown,
  architecture: unknown,
  variant?: unknown,
): ImportedScan['platform'] | undefined {
  const [o, a, v] = [str(os), str(architecture), str(variant)];
  return o && a ? { os: o, architecture: a, ...(v ? { variant: v } : {}) } : undefined;
}

export function parseJson(text: string, source: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new AppError('SCAN_REPORT_INVALID', `${source} is not JSON: ${(error as Error).message}`);
  }
}

/** One scanner match before merging: the package, and the vulnerability as an advisory hit. */
export interface ReportMatch {
  package: FindingPackage;
  hit: AdvisoryHit;
}

/** Merges matches per package into findings, one per vulnerability. */
export function mergeReportMatches(matches: readonly ReportMatch[], origin: 'trivy' | 'grype'): Finding[] {
  const byPackage = new Map<string, { pkg: FindingPackage; hits: AdvisoryHit[] }>();
  for (const match of matches) {
    const key = `${match.package.purl ?? ''}\u0000${match.package.type}\u0000${match.package.name}\u0000${match.package.version}\u0000${(match.package.locations ?? []).join(',')}`;
    const entry = byPackage.get(key);
    if (entry) entry.hits.push(match.hit);
    else byPackage.set(key, { pkg: match.package, hits: [match.hit] });
  }
  const findings: Finding[] = [];
  for (const { pkg, hits } of byPackage.values()) {
    for (const group of groupHits(hits)) {
      const summary = group.hits.find((h) => h.summary)?.summary;
      findings.push({
        id: group.id,
        aliases: [...group.ids].filter((id) => id !== group.id).sort(),
        advisories: [...new Set(group.hits.map((h) => h.id))].sort(),
        package: pkg,
        fixedVersions: [...new Set(group.hits.flatMap((h) => h.fixed))],
        severity: highestSeverity(group.hits),
        ...(summary ? { summary } : {}),
        urls: [...new Set(group.hits.flatMap((h) => h.urls))],
        origin,
        suppressed: false,
      });
    }
  }
  return findings.sort(compareFindings);
}

/** Package types by purl type; a purl says what the scanner's own type names do not always say. */
const PURL_TYPES = new Set(['deb', 'apk', 'rpm', 'npm', 'pypi', 'golang', 'maven', 'gem', 'cargo', 'nuget']);

/** The package type from the purl when it has a known one, else from the scanner's name for it. */
export function packageTypeOf(
  purl: string | undefined,
  scannerType: string | undefined,
  names: Readonly<Record<string, string>>,
): string {
  if (purl) {
    try {
      const type = PackageURL.fromString(purl).type;
      if (PURL_TYPES.has(type)) return type;
    } catch {
      // Fall back to the scanner's type.
    }
  }
  return names[scannerType ?? ''] ?? scannerType ?? 'unknown';
}

export function asObject(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

export function asArray(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

export function str(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

export function num(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

/** `name@sha256:…` repo digests → `sha256:…`. */
export function digestsOf(repoDigests: unknown[], ...more: unknown[]): string[] {
  const out = new Set<string>();
  for (const value of [...repoDigests, ...more]) {
    const text = str(value);
    const match = text ? /(sha256:[0-9a-f]{64})$/.exec(text) : null;
    if (match) out.add(match[1]!);
  }
  return [...out];
}
