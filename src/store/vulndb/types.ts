/**
 * The shapes the vulnerability database reads and writes. They match, field for field, the
 * contracts the scanner's vulnerability code declares (the database and the scanner do not
 * import each other; the composition root passes one to the other and the compiler checks
 * that they fit).
 */

export interface AffectedInput {
  ecosystem: string;
  ecosystemBase: string;
  name: string;
  purl: string | null;
  ranges: unknown[];
  versions: string[];
  severity: unknown[];
  ecosystemSpecific: object | null;
  databaseSpecific: object | null;
}

export interface AdvisoryInput {
  id: string;
  modified: string | null;
  published: string | null;
  withdrawn: string | null;
  aliases: string[];
  upstream: string[];
  related: string[];
  summary: string | null;
  details: string | null;
  severity: unknown[];
  references: unknown[];
  databaseSpecific: object | null;
  schemaVersion: string | null;
  contentHash: string;
  affected: AffectedInput[];
}

/** Counts of one import of a source. */
export interface ImportCountsInput {
  read: number;
  inserted: number;
  updated: number;
  unchanged: number;
  malformed: number;
  withdrawn: number;
}

export interface ImportResultInput {
  source: string;
  kind: 'archive' | 'directory' | 'download';
  counts: ImportCountsInput;
  importedAt: Date;
  etag?: string;
  lastModified?: string;
}

export interface PackageKeyInput {
  ecosystemBase: string;
  name: string;
}

export interface AffectedRow {
  advisoryId: string;
  ecosystem: string;
  ecosystemBase: string;
  name: string;
  ranges: unknown;
  versions: string[];
  severity: unknown;
  ecosystemSpecific: unknown;
  databaseSpecific: unknown;
}

export interface AdvisoryRow {
  id: string;
  aliases: string[];
  upstream: string[];
  related: string[];
  summary: string | null;
  detailsExcerpt: string | null;
  severity: unknown;
  references: unknown;
  databaseSpecific: unknown;
}

export interface VulnSourceStatus {
  name: string;
  kind: 'archive' | 'directory' | 'download';
  lastImportAt: Date;
  lastCounts: ImportCountsInput;
  advisories: number;
  withdrawn: number;
  newestModified: Date | null;
}

export interface VulnDbStatus {
  sources: VulnSourceStatus[];
  /** Affected-package entries per ecosystem (`Debian`, `PyPI`, …). */
  ecosystems: { ecosystem: string; entries: number; advisories: number }[];
  advisories: number;
  newestModified: Date | null;
  lastImportAt: Date | null;
}
