import { AppError } from '../../kernel/index.js';
import type { FindingPackage } from './finding.js';
import {
  type ImportedScan,
  type ReportMatch,
  asArray,
  asObject,
  digestsOf,
  mergeReportMatches,
  num,
  packageTypeOf,
  platformOf,
  str,
} from './report-common.js';
import { type Severity, cvssRating, parseRating } from './severity.js';

/**
 * Grype's JSON report (`grype -o json`): `matches[]`, each a vulnerability (with its
 * `relatedVulnerabilities`, e.g. the CVE of a GHSA) and the matched `artifact`.
 */

/** Grype artifact `type`s → package types, for artifacts without a purl. */
const GRYPE_TYPES: Readonly<Record<string, string>> = {
  apk: 'apk',
  deb: 'deb',
  rpm: 'rpm',
  npm: 'npm',
  python: 'pypi',
  'go-module': 'golang',
  'java-archive': 'maven',
  'jenkins-plugin': 'maven',
  gem: 'gem',
  'rust-crate': 'cargo',
  dotnet: 'nuget',
};

export function parseGrypeReport(value: unknown, source: string): ImportedScan {
  const report = asObject(value);
  if (!report || !Array.isArray(report.matches)) {
    throw new AppError(
      'SCAN_REPORT_INVALID',
      `${source}: a Grype report needs a "matches" array (run grype with -o json)`,
    );
  }
  const matches = report.matches.map((item, i) => toMatch(item, `${source}: matches[${i}]`));
  const target = asObject(asObject(report.source)?.target);
  const distro = asObject(report.distro);
  const descriptor = asObject(report.descriptor);
  const platform = platformOf(target?.os, target?.architecture, target?.variant);
  const db = asObject(descriptor?.db);
  // Grype v5 databases carry `built`; v6 ones `status.built` and a `schemaVersion` string.
  const dbBuilt = str(db?.built) ?? str(asObject(db?.status)?.built);
  return {
    scanner: 'grype',
    ...(str(descriptor?.version) ? { scannerVersion: str(descriptor?.version) } : {}),
    artifact: {
      ...(str(target?.userInput) ? { name: str(target?.userInput) } : {}),
      digests: digestsOf(asArray(target?.repoDigests), target?.manifestDigest),
    },
    ...(str(distro?.name)
      ? {
          os: {
            family: str(distro?.name)!,
            ...(str(distro?.version) ? { version: str(distro?.version) } : {}),
          },
        }
      : {}),
    ...(platform ? { platform } : {}),
    ...(str(descriptor?.timestamp) ? { createdAt: str(descriptor?.timestamp) } : {}),
    ...(dbBuilt ? { database: { version: dbBuilt } } : {}),
    findings: mergeReportMatches(matches, 'grype'),
  };
}

function toMatch(item: unknown, where: string): ReportMatch {
  const match = asObject(item);
  const vulnerability = asObject(match?.vulnerability);
  const artifact = asObject(match?.artifact);
  const id = str(vulnerability?.id);
  if (!match || !vulnerability || !artifact || !id)
    throw new AppError('SCAN_REPORT_INVALID', `${where} needs "vulnerability.id" and "artifact"`);
  const purl = str(artifact.purl);
  const upstream = asObject(asArray(artifact.upstreams)[0]);
  const locations = asArray(artifact.locations)
    .map((l) => str(asObject(l)?.path))
    .filter((p): p is string => p !== undefined);
  const pkg: FindingPackage = {
    name: str(artifact.name) ?? 'unknown',
    version: str(artifact.version) ?? '',
    type: packageTypeOf(purl, str(artifact.type), GRYPE_TYPES),
    ...(purl ? { purl } : {}),
    ...(str(upstream?.name)
      ? {
          source: {
            name: str(upstream?.name)!,
            ...(str(upstream?.version) ? { version: str(upstream?.version) } : {}),
          },
        }
      : {}),
    ...(locations.length > 0 ? { locations } : {}),
  };
  const related = asArray(match.relatedVulnerabilities)
    .map(asObject)
    .filter((r): r is Record<string, unknown> => r !== undefined);
  const fix = asObject(vulnerability.fix);
  const fixed =
    str(fix?.state) === 'fixed'
      ? asArray(fix?.versions)
          .map(str)
          .filter((v): v is string => v !== undefined)
      : [];
  const urls = [str(vulnerability.dataSource), ...asArray(vulnerability.urls).map(str)].filter(
    (u): u is string => u !== undefined,
  );
  const description =
    str(vulnerability.description) ?? related.map((r) => str(r.description)).find((d) => d !== undefined);
  return {
    package: pkg,
    hit: {
      id,
      aliases: related.map((r) => str(r.id)).filter((r): r is string => r !== undefined && r !== id),
      upstream: [],
      related: [],
      fixed,
      severity: grypeSeverity(vulnerability, related, id),
      ...(description ? { summary: description.split('\n')[0] } : {}),
      urls: [...new Set(urls)],
    },
  };
}

/** Grype's rating, with the first CVSS score it reports (the vulnerability's own, then a related one's). */
function grypeSeverity(
  vulnerability: Record<string, unknown>,
  related: Record<string, unknown>[],
  id: string,
): Severity {
  const rating = parseRating(
    str(vulnerability.severity) ?? related.map((r) => str(r.severity)).find((s) => s !== undefined),
  );
  for (const record of [vulnerability, ...related]) {
    const entries = asArray(record.cvss)
      .map(asObject)
      .filter((c): c is Record<string, unknown> => c !== undefined);
    // Newest CVSS version first.
    entries.sort((a, b) => (str(b.version) ?? '').localeCompare(str(a.version) ?? ''));
    for (const cvss of entries) {
      const score = num(asObject(cvss.metrics)?.baseScore);
      if (score === undefined) continue;
      const vector = str(cvss.vector);
      return {
        rating: rating === 'UNKNOWN' ? cvssRating(score, str(cvss.version) === '2.0') : rating,
        score,
        ...(vector ? { vector } : {}),
        source: `grype:${str(cvss.source) ?? str(record.namespace) ?? 'unknown'}`,
        advisory: id,
      };
    }
  }
  return { rating, source: `grype:${str(vulnerability.namespace) ?? 'unknown'}`, advisory: id };
}
