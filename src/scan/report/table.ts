import type { Finding } from '../vulndb/index.js';
import { SEVERITY_RATINGS, type SeverityRating } from '../vulndb/index.js';
import type { ImageScan, PlatformScan } from '../scan-image.js';

const SHOWN_RATINGS: readonly SeverityRating[] = ['CRITICAL', 'HIGH', 'MEDIUM', 'LOW', 'UNKNOWN'];

/**
 * The human report, as `trivy image` users expect it: per platform, the OS and inventory size,
 * the counts by severity, then one row per finding (most severe first) with package,
 * installed and fixed versions. Suppressed findings are listed apart, with their VEX reason.
 */
export function formatScanTable(scan: ImageScan, options: { showSuppressed?: boolean } = {}): string {
  const lines = [`${scan.reference}  ${scan.digest}`];
  for (const platform of scan.platforms)
    lines.push('', ...platformSection(platform, options.showSuppressed ?? true));
  lines.push('', `Total (unique findings across platforms): ${counts(scan.summary)}`);
  return lines.join('\n');
}

function platformSection(platform: PlatformScan, showSuppressed: boolean): string[] {
  const { inventory } = platform;
  const name = inventory.platform
    ? [inventory.platform.os, inventory.platform.architecture, inventory.platform.variant]
        .filter(Boolean)
        .join('/')
    : 'image';
  const os = inventory.os
    ? `${inventory.os.prettyName ?? `${inventory.os.id} ${inventory.os.versionId ?? ''}`.trim()}`
    : 'unknown OS';
  const from = inventory.source === 'sbom' ? 'attached SBOM' : 'layers';
  const active = sortFindings(platform.findings.filter((f) => !f.suppressed));
  const suppressed = platform.findings.filter((f) => f.suppressed);
  const lines = [
    `${name} (${inventory.manifestDigest.slice(0, 19)}…): ${os}, ${inventory.packages.length} packages from ${from}`,
    `  ${counts(countRatings(active))}${suppressed.length ? `; ${suppressed.length} suppressed by VEX` : ''}`,
  ];
  if (active.length > 0)
    lines.push(
      '',
      ...table(['SEVERITY', 'ID', 'PACKAGE', 'INSTALLED', 'FIXED'], active.map(row)).map((l) => `  ${l}`),
    );
  if (showSuppressed && suppressed.length > 0) {
    lines.push('', '  Suppressed (VEX):');
    for (const f of suppressed)
      lines.push(
        `  ${f.id} ${f.package.name} ${f.package.version}: ${f.vex?.status ?? ''}${f.vex?.justification ? ` (${f.vex.justification})` : ''}`,
      );
  }
  for (const notice of [...inventory.notices, ...platform.notices].filter((n) => n.level === 'warning')) {
    lines.push(`  warning: ${notice.message}${notice.path ? ` (${notice.path})` : ''}`);
  }
  return lines;
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
