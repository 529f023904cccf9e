import type { OsInfo, ScanNotice } from '../inventory/types.js';
import { type ImageScan, type SeverityCounts, countBySeverity } from '../scan-image.js';
import type { Finding, ImportedScan } from '../vulndb/index.js';

/**
 * The result of scanning one image digest, whoever scanned it: Airlock itself, or Trivy or
 * Grype through an imported report. This is what is stored per digest, attached to the image
 * as an attestation, and shown by `airlock scan results`: the findings and a summary of the
 * inventory (the packages themselves belong in the SBOM).
 */
export interface ScanRecord {
  /** The image as named when it was scanned. */
  reference: string;
  /** Digest of the image's root manifest (the index of a multi-platform image). */
  digest: string;
  mediaType?: string;
  origin: ScanOrigin;
  scanner: ScannerInfo;
  /** When the scan started and finished (RFC 3339). */
  startedAt?: string;
  scannedAt: string;
  platforms: PlatformRecord[];
  /** Unsuppressed findings by severity, one per vulnerability and package across platforms. */
  summary: SeverityCounts;
}

export type ScanOrigin = 'airlock' | 'trivy' | 'grype';

export interface ScannerInfo {
  name: ScanOrigin;
  version?: string;
  /** The vulnerability data matched against, as far as it is known. */
  database?: { uri?: string; version?: string };
}

export interface PlatformRecord {
  /** Digest of the platform's image manifest. */
  manifestDigest: string;
  platform?: { os: string; architecture: string; variant?: string };
  os?: Pick<OsInfo, 'id' | 'versionId' | 'prettyName'>;
  /** Packages inventoried; absent for imported reports, which list only vulnerable packages. */
  packageCount?: number;
  /** `layers`, an attached `sbom`, or another scanner's `report`. */
  inventorySource: 'layers' | 'sbom' | 'report';
  findings: Finding[];
  notices: ScanNotice[];
}

export interface RecordOfScanOptions {
  /** Airlock's version, for `scanner.version`. */
  toolVersion: string;
  startedAt?: string;
  database?: ScannerInfo['database'];
}

/** Airlock's own scan as a record. */
export function recordOfScan(scan: ImageScan, options: RecordOfScanOptions): ScanRecord {
  const platforms = scan.platforms.map((p): PlatformRecord => ({
    manifestDigest: p.inventory.manifestDigest,
    ...(p.inventory.platform ? { platform: p.inventory.platform } : {}),
    ...(p.inventory.os ? { os: osSummary(p.inventory.os) } : {}),
    packageCount: p.inventory.packages.length,
    inventorySource: p.inventory.source,
    findings: p.findings,
    notices: [...p.inventory.notices, ...p.notices],
  }));
  return {
    reference: scan.reference,
    digest: scan.digest,
    mediaType: scan.mediaType,
    origin: 'airlock',
    scanner: {
      name: 'airlock',
      version: options.toolVersion,
      ...(options.database ? { database: options.database } : {}),
    },
    ...(options.startedAt ? { startedAt: options.startedAt } : {}),
    scannedAt: scan.scannedAt,
    platforms,
    summary: countBySeverity(platforms),
  };
}

export interface RecordOfImportOptions {
  reference: string;
  /** The image's root manifest, as resolved from the reference. */
  digest: string;
  mediaType: string;
  /** The platform manifest the report covers, and its platform. */
  manifestDigest: string;
  platform?: PlatformRecord['platform'];
  /** Findings after VEX, when VEX was applied; the report's own otherwise. */
  findings?: Finding[];
  notices?: ScanNotice[];
  /** When the report was imported: its scan time when it does not say. */
  importedAt: string;
}

/** A Trivy or Grype report of one platform of an image as a record. */
export function recordOfImport(imported: ImportedScan, options: RecordOfImportOptions): ScanRecord {
  const platform: PlatformRecord = {
    manifestDigest: options.manifestDigest,
    ...(options.platform ? { platform: options.platform } : {}),
    ...(imported.os
      ? { os: { id: imported.os.family, ...(imported.os.version ? { versionId: imported.os.version } : {}) } }
      : {}),
    inventorySource: 'report',
    findings: options.findings ?? imported.findings,
    notices: options.notices ?? [],
  };
  const scannedAt = normalizeTime(imported.createdAt) ?? options.importedAt;
  return {
    reference: options.reference,
    digest: options.digest,
    mediaType: options.mediaType,
    origin: imported.scanner,
    scanner: {
      name: imported.scanner,
      ...(imported.scannerVersion ? { version: imported.scannerVersion } : {}),
      ...(imported.database ? { database: { version: imported.database.version } } : {}),
    },
    scannedAt,
    platforms: [platform],
    summary: countBySeverity([platform]),
  };
}

function osSummary(os: OsInfo): NonNullable<PlatformRecord['os']> {
  return {
    id: os.id,
    ...(os.versionId ? { versionId: os.versionId } : {}),
    ...(os.prettyName ? { prettyName: os.prettyName } : {}),
  };
}

/** RFC 3339 in UTC, or undefined when the text is not a time. */
function normalizeTime(text: string | undefined): string | undefined {
  if (!text) return undefined;
  const time = Date.parse(text);
  return Number.isNaN(time) ? undefined : new Date(time).toISOString();
}
