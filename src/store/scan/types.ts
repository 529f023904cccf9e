/**
 * The rows of stored scan results. The scanner's own types (findings, notices) are opaque
 * here: the store keeps them whole, and the composition root maps scan results to and from
 * these shapes (the store does not import the scanner).
 */

export type ScanResultOrigin = 'airlock' | 'trivy' | 'grype';

export interface ScanResultPlatformInput {
  manifestDigest: string;
  platform: { os: string; architecture: string; variant?: string } | null;
  os: { id: string; versionId?: string; prettyName?: string } | null;
  /** Packages inventoried; null when the scanner did not say (imported reports). */
  packageCount: number | null;
  inventorySource: string;
  /** Unsuppressed findings of this platform by severity rating. */
  summary: Record<string, number>;
  findings: unknown[];
  notices: unknown[];
}

export interface ScanResultInput {
  imageDigest: string;
  mediaType: string | null;
  reference: string;
  origin: ScanResultOrigin;
  scanner: { name: string; version?: string; database?: { uri?: string; version?: string } };
  startedAt: Date | string | null;
  scannedAt: Date | string;
  /** Unsuppressed findings by severity rating, across platforms. */
  summary: Record<string, number>;
  platforms: ScanResultPlatformInput[];
}

/** A stored result without its findings: what a listing shows. */
export interface ScanResultHeader {
  id: string;
  imageDigest: string;
  mediaType: string | null;
  reference: string;
  origin: ScanResultOrigin;
  scanner: ScanResultInput['scanner'];
  startedAt: Date | null;
  scannedAt: Date;
  storedAt: Date;
  summary: Record<string, number>;
  platforms: { manifestDigest: string; platform: ScanResultPlatformInput['platform'] }[];
}

export interface StoredScanResult extends Omit<ScanResultHeader, 'platforms'> {
  platforms: ScanResultPlatformInput[];
}
