import type { ScanNotice } from '../scan/inventory/types.js';
import type { PlatformRecord, ScanRecord } from '../scan/report/index.js';
import { type SeverityCounts, countBySeverity } from '../scan/scan-image.js';
import { type Finding, SEVERITY_RATINGS } from '../scan/vulndb/index.js';
import type { ScanResultInput, ScanResultPlatformInput, StoredScanResult } from '../store/index.js';

/** A scan record as it came back from the store. */
export interface StoredScanRecord extends ScanRecord {
  id: string;
  storedAt: string;
}

/** A scan record as the store keeps it. */
export function toScanResultInput(record: ScanRecord): ScanResultInput {
  return {
    imageDigest: record.digest,
    mediaType: record.mediaType ?? null,
    reference: record.reference,
    origin: record.origin,
    scanner: record.scanner,
    startedAt: record.startedAt ?? null,
    scannedAt: record.scannedAt,
    summary: record.summary,
    platforms: record.platforms.map((p): ScanResultPlatformInput => ({
      manifestDigest: p.manifestDigest,
      platform: p.platform ?? null,
      os: p.os ?? null,
      packageCount: p.packageCount ?? null,
      inventorySource: p.inventorySource,
      summary: countBySeverity([p]),
      findings: p.findings,
      notices: p.notices,
    })),
  };
}

/**
 * A stored result as a scan record. The findings and notices are what `toScanResultInput`
 * wrote (the store keeps them whole), hence the casts.
 */
export function fromStoredScanResult(stored: StoredScanResult): StoredScanRecord {
  return {
    id: stored.id,
    storedAt: stored.storedAt.toISOString(),
    reference: stored.reference,
    digest: stored.imageDigest,
    ...(stored.mediaType ? { mediaType: stored.mediaType } : {}),
    origin: stored.origin,
    scanner: stored.scanner as ScanRecord['scanner'],
    ...(stored.startedAt ? { startedAt: stored.startedAt.toISOString() } : {}),
    scannedAt: stored.scannedAt.toISOString(),
    platforms: stored.platforms.map((p): PlatformRecord => ({
      manifestDigest: p.manifestDigest,
      ...(p.platform ? { platform: p.platform } : {}),
      ...(p.os ? { os: p.os } : {}),
      ...(p.packageCount !== null ? { packageCount: p.packageCount } : {}),
      inventorySource: p.inventorySource as PlatformRecord['inventorySource'],
      findings: p.findings as Finding[],
      notices: p.notices as ScanNotice[],
    })),
    summary: severityCounts(stored.summary),
  };
}

/** Every rating present, so that readers need not guess what a missing one means. */
function severityCounts(summary: Record<string, number>): SeverityCounts {
  return Object.fromEntries(SEVERITY_RATINGS.map((r) => [r, summary[r] ?? 0])) as SeverityCounts;
}
