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
import { type Severity, type SeverityRating, cvssRating, parseRating } from './severity.js';

/**
 * Trivy's JSON report (`trivy image --format json`, SchemaVersion 2): `Results[]`, one per
 * target (the OS packages, a lock file, a binary), each with `Vulnerabilities[]`.
 */

/** Trivy result `Type`s → package types, for packages without a purl. */
const TRIVY_TYPES: Readonly<Record<string, string>> = {
  alpine: 'apk',
  wolfi: 'apk',
  chainguard: 'apk',
  debian: 'deb',
  ubuntu: 'deb',
  redhat: 'rpm',
  centos: 'rpm',
  rocky: 'rpm',
  alma: 'rpm',
  amazon: 'rpm',
  oracle: 'rpm',
  photon: 'rpm',
  'cbl-mariner': 'rpm',
  azurelinux: 'rpm',
  suse: 'rpm',
  'node-pkg': 'npm',
  npm: 'npm',
  yarn: 'npm',
  pnpm: 'npm',
  'python-pkg': 'pypi',
  pip: 'pypi',
  pipenv: 'pypi',
  poetry: 'pypi',
  uv: 'pypi',
  gobinary: 'golang',
  gomod: 'golang',
  jar: 'maven',
  pom: 'maven',
  gradle: 'maven',
  gemspec: 'gem',
  bundler: 'gem',
  cargo: 'cargo',
  'rust-binary': 'cargo',
  nuget: 'nuget',
  'dotnet-core': 'nuget',
  'packages-props': 'nuget',
};

/** Which vendor's CVSS Trivy's `SeveritySource` points at, then the usual fallbacks. */
const CVSS_PREFERENCE = ['nvd', 'ghsa', 'redhat'];

export function parseTrivyReport(value: unknown, source: string): ImportedScan {
  const report = asObject(value);
  if (!report || !Array.isArray(report.Results)) {
    throw new AppError(
      'SCAN_REPORT_INVALID',
      `${source}: a Trivy report needs a "Results" array (run trivy with --format json)`,
    );
  }
  const metadata = asObject(report.Metadata);
  const os = asObject(metadata?.OS);
  const config = asObject(metadata?.ImageConfig);
  const platform = platformOf(config?.os, config?.architecture, config?.variant);
  const matches: ReportMatch[] = [];
  report.Results.forEach((result, r) => {
    const target = asObject(result);
    if (!target) throw new AppError('SCAN_REPORT_INVALID', `${source}: Results[${r}] is not an object`);
    asArray(target.Vulnerabilities).forEach((item, v) => {
      const vulnerability = asObject(item);
      const id = str(vulnerability?.VulnerabilityID);
      if (!vulnerability || !id)
        throw new AppError(
          'SCAN_REPORT_INVALID',
          `${source}: Results[${r}].Vulnerabilities[${v}] has no VulnerabilityID`,
        );
      matches.push(toMatch(vulnerability, id, target));
    });
  });
  return {
    scanner: 'trivy',
    artifact: {
      ...(str(report.ArtifactName) ? { name: str(report.ArtifactName) } : {}),
      digests: digestsOf(asArray(metadata?.RepoDigests)),
    },
    ...(str(os?.Family)
      ? { os: { family: str(os?.Family)!, ...(str(os?.Name) ? { version: str(os?.Name) } : {}) } }
      : {}),
    ...(platform ? { platform } : {}),
    ...(str(report.CreatedAt) ? { createdAt: str(report.CreatedAt) } : {}),
    findings: mergeReportMatches(matches, 'trivy'),
  };
}

function toMatch(v: Record<string, unknown>, id: string, target: Record<string, unknown>): ReportMatch {
  const purl = str(asObject(v.PkgIdentifier)?.PURL);
  const pkg: FindingPackage = {
    name: str(v.PkgName) ?? 'unknown',
    version: str(v.InstalledVersion) ?? '',
    type: packageTypeOf(purl, str(target.Type), TRIVY_TYPES),
    ...(purl ? { purl } : {}),
    ...(str(v.PkgPath)
      ? { locations: [str(v.PkgPath)!] }
      : str(target.Class) === 'lang-pkgs' && str(target.Target)
        ? { locations: [str(target.Target)!] }
        : {}),
  };
  // Trivy joins several fixed versions with ", " (one per release line).
  const fixed = (str(v.FixedVersion) ?? '')
    .split(',')
    .map((f) => f.trim())
    .filter((f) => f !== '');
  const urls = [str(v.PrimaryURL), ...asArray(v.References).map(str)].filter(
    (u): u is string => u !== undefined,
  );
  return {
    package: pkg,
    hit: {
      id,
      aliases: [],
      upstream: [],
      related: [],
      fixed,
      severity: trivySeverity(v, id),
      ...(str(v.Title) ? { summary: str(v.Title) } : {}),
      urls: [...new Set(urls)],
    },
  };
}

/** Trivy's own rating (`Severity`), with the CVSS score of the vendor it took the rating from. */
function trivySeverity(v: Record<string, unknown>, id: string): Severity {
  const rating: SeverityRating = parseRating(str(v.Severity));
  const cvss = asObject(v.CVSS) ?? {};
  const preferred = str(v.SeveritySource);
  const vendors = [...(preferred ? [preferred] : []), ...CVSS_PREFERENCE, ...Object.keys(cvss)];
  for (const vendor of vendors) {
    const entry = asObject(cvss[vendor]);
    if (!entry) continue;
    const score = num(entry.V40Score) ?? num(entry.V3Score) ?? num(entry.V2Score);
    const vector = str(entry.V40Vector) ?? str(entry.V3Vector) ?? str(entry.V2Vector);
    if (score === undefined) continue;
    const v2 = num(entry.V40Score) === undefined && num(entry.V3Score) === undefined;
    return {
      rating: rating === 'UNKNOWN' ? cvssRating(score, v2) : rating,
      score,
      ...(vector ? { vector } : {}),
      source: `trivy:${vendor}`,
      advisory: id,
    };
  }
  return { rating, source: `trivy${preferred ? `:${preferred}` : ''}`, advisory: id };
}
