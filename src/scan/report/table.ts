import type { Finding } from '../vulndb/index.js';
import { SEVERITY_RATINGS, type SeverityRating } from '../vulndb/index.js';
import type { PlatformRecord, ScanRecord } from './scan-record.js';

const SHOWN_RATINGS: readonly SeverityRating[] = ['CRITICAL', 'HIGH', 'MEDIUM', 'LOW', 'UNKNOWN'];

export interface FormatScanTableOptions {
  showSuppressed?: boolean;
  /** Say who scanned and when (for stored results, whose age matters). */
  showScanner?: boolean;
}

/**
 * The human report, as `trivy image` users expect it: per platform, the OS and inventory size,
 * the counts by severity, then one row per finding (most severe first) with package,
 * installed and fixed versions. Suppressed findings are listed apart, with their VEX reason
 * and the document that says so.
 */
export function formatScanTable(scan: ScanRecord, options: FormatScanTableOptions = {}): string {
  const lines = [`${scan.reference}  ${scan.digest}`];
  if (options.showScanner) lines.push(`scanned ${scan.scannedAt} by ${scannerName(scan)}`);
  for (const platform of scan.platforms)
    lines.push('', ...platformSection(platform, scan, options.showSuppressed ?? true));
  lines.push('', `Total (unique findings across platforms): ${counts(scan.summary)}`);
  return lines.join('\n');
}

function platformSection(platform: PlatformRecord, scan: ScanRecord, showSuppressed: boolean): string[] {
  const name = platform.platform
    ? [platform.platform.os, platform.platform.architecture, platform.platform.variant]
        .filter(Boolean)
        .join('/')
    : 'image';
  const os = platform.os
    ? `${platform.os.prettyName ?? `${platform.os.id} ${platform.os.versionId ?? ''}`.trim()}`
    : 'unknown OS';
  const active = sortFindings(platform.findings.filter((f) => !f.suppressed));
  const suppressed = platform.findings.filter((f) => f.suppressed);
  const lines = [
    `${name} (${platform.manifestDigest.slice(0, 19)}…): ${os}, ${inventoryOf(platform, scan)}`,
    `  ${counts(countRatings(active))}${suppressed.length ? `; ${suppressed.length} suppressed by VEX` : ''}`,
  ];
  if (active.length > 0)
    lines.push(
      '',
      ...table(['SEVERITY', 'ID', 'PACKAGE', 'INSTALLED', 'FIXED'], active.map(row)).map((l) => `  ${l}`),
    );
  if (showSuppressed && suppressed.length > 0) {
    lines.push('', '  Suppressed (VEX):');
    for (const f of suppressed) lines.push(`  ${suppressedLine(f)}`);
  }
  for (const notice of platform.notices.filter((n) => n.level === 'warning')) {
    lines.push(`  warning: ${notice.message}${notice.path ? ` (${notice.path})` : ''}`);
  }
  return lines;
}

function inventoryOf(platform: PlatformRecord, scan: ScanRecord): string {
  if (platform.inventorySource === 'report') return `vulnerable packages from a ${scannerName(scan)} report`;
  const from = platform.inventorySource === 'sbom' ? 'attached SBOM' : 'layers';
  return `${platform.packageCount ?? 0} packages from ${from}`;
}

function scannerName(scan: ScanRecord): string {
  const name = { airlock: 'Airlock', trivy: 'Trivy', grype: 'Grype' }[scan.scanner.name];
  return scan.scanner.version ? `${name} ${scan.scanner.version}` : name;
}

/** `CVE-… pkg 1.0: not_affected (justification) by <document> (<where it was read>)`. */
function suppressedLine(f: Finding): string {
  const vex = f.vex;
  const why = vex?.justification ? ` (${vex.justification})` : '';
  const by = vex?.document ? ` by ${vex.document}${vex.source ? ` (${vex.source})` : ''}` : '';
  return `${f.id} ${f.package.name} ${f.package.version}: ${vex?.status ?? ''}${why}${by}`;
}

function row(f: Finding): string[] {
  const score = f.severity.score !== undefined ? ` ${f.severity.score.toFixed(1)}` : '';
  return [
    `${f.severity.rating}${score}`,
    f.id,
    f.package.name,
    f.package.version,
    f.fixedVersions.join(', ') || '-',
  ];
}

function sortFindings(findings: Finding[]): Finding[] {
  const rank = (f: Finding) => SEVERITY_RATINGS.indexOf(f.severity.rating);
  return [...findings].sort(
    (a, b) =>
      rank(b) - rank(a) ||
      (b.severity.score ?? 0) - (a.severity.score ?? 0) ||
      a.package.name.localeCompare(b.package.name) ||
      a.id.localeCompare(b.id),
  );
}

function countRatings(findings: Finding[]): Record<SeverityRating, number> {
  const out = Object.fromEntries(SEVERITY_RATINGS.map((r) => [r, 0])) as Record<SeverityRating, number>;
  for (const f of findings) out[f.severity.rating]++;
  return out;
}

function counts(byRating: Record<SeverityRating, number>): string {
  const total = SHOWN_RATINGS.reduce((sum, r) => sum + byRating[r], 0) + byRating.NONE;
  return `${total} (${SHOWN_RATINGS.map((r) => `${r}: ${byRating[r]}`).join(', ')})`;
}

function table(header: string[], rows: string[][]): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  return [header, ...rows].map((cells) =>
    cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]!))).join('  '),
  );
}
