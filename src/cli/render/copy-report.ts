import type { CopyReport } from '../../app/copy-service.js';
import type { CopyResult } from '../../oci/copy/index.js';
import type { RateLimitInfo } from '../../oci/remote/index.js';
import { formatBytes, formatDuration, plural, shortDigest } from './format.js';

/** One line per image: what happened, where, and how much moved. */
export function formatReportLine(report: CopyReport): string {
  const arrow = `${report.source} → ${report.destination}`;
  if (report.error) return `failed   ${arrow}\n         ${report.error.message}`;
  const result = report.result!;
  const digest = shortDigest(result.digest);
  if (result.status === 'skipped') return `ok       ${arrow}  ${digest} up to date${referrerNote(result)}`;
  const verb = result.status === 'planned' ? 'would copy' : 'copied  ';
  const filtered = result.filtered
    ? `; platforms ${result.filtered.platforms.join(', ')} → new index (source ${shortDigest(result.filtered.sourceDigest)})`
    : '';
  return `${verb} ${arrow}  ${digest} (${details(result)}${filtered})${referrerNote(result)}`;
}

function details(result: CopyResult): string {
  const s = result.stats;
  if (result.status === 'planned') {
    const copy = result.plan?.filter((p) => p.action === 'copy') ?? [];
    return `${plural(copy.filter((p) => p.kind === 'blob').length, 'blob')} and ${plural(copy.filter((p) => p.kind === 'manifest').length, 'manifest')} to copy, ${formatBytes(s.bytesCopied)}`;
  }
  const parts = [`${plural(s.blobsCopied, 'blob')} ${formatBytes(s.bytesCopied)}`];
  if (s.blobsMounted) parts.push(`${s.blobsMounted} mounted`);
  if (s.blobsExisting) parts.push(`${s.blobsExisting} already there`);
  if (s.foreignLayersSkipped) parts.push(`${plural(s.foreignLayersSkipped, 'foreign layer')} skipped`);
  return parts.join(', ');
}

function referrerNote(result: CopyResult): string {
  if (result.referrers.length === 0) return '';
  return `; ${plural(result.referrers.length, 'referrer')} (${result.stats.referrersCopied} new)`;
}

export function formatSummary(all: CopyReport[], elapsedMs: number): string {
  const unlisted = all.filter((r) => r.scope === 'repository').length;
  const reports = all.filter((r) => r.scope !== 'repository');
  const failed = reports.filter((r) => r.error).length;
  const skipped = reports.filter((r) => r.result?.status === 'skipped').length;
  const planned = reports.filter((r) => r.result?.status === 'planned').length;
  const copied = reports.length - failed - skipped - planned;
  const bytes = reports.reduce((sum, r) => sum + (r.result?.stats.bytesCopied ?? 0), 0);
  const rate = elapsedMs > 0 ? ` (${formatBytes((bytes * 1000) / elapsedMs)}/s)` : '';
  const counts = [
    copied ? `${copied} copied` : '',
    planned ? `${planned} would be copied` : '',
    skipped ? `${skipped} up to date` : '',
    failed ? `${failed} failed` : '',
  ].filter(Boolean);
  const moved = planned ? `${formatBytes(bytes)} to transfer` : `${formatBytes(bytes)} transferred${rate}`;
  const notListed = unlisted
    ? `; ${unlisted} ${unlisted === 1 ? 'repository' : 'repositories'} could not be listed`
    : '';
  return `${plural(reports.length, 'image')}: ${counts.join(', ') || 'nothing to do'}${notListed}; ${moved} in ${formatDuration(elapsedMs)}`;
}

/** JSON shape of a report: stable field names for scripts. */
export function reportJson(report: CopyReport): Record<string, unknown> {
  if (report.error)
    return {
      source: report.source,
      destination: report.destination,
      ...(report.scope === 'repository' ? { scope: 'repository' } : {}),
      error: report.error.toJSON(),
    };
  return { ...report.result!, source: report.source, destination: report.destination };
}

/** Docker Hub's pull quota as the registry last reported it: `docker.io pull quota: 76 of 100 left per 6 h`. */
export function formatRateLimit(registry: string, info: RateLimitInfo): string {
  const window = info.windowSeconds ? ` per ${formatDuration(info.windowSeconds * 1000)}` : '';
  return `${registry} pull quota: ${info.remaining} of ${info.limit} left${window}${info.source ? ` (counted for ${info.source})` : ''}`;
}
