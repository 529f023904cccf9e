import type { JsonObject } from '../../kernel/index.js';
import type { OsvRange, OsvReference, OsvSeverity } from './osv.js';

/**
 * What the vulnerability database stores and answers, as the importer and the matcher see it.
 * The database implements these interfaces (structurally: this area does not import it), so
 * that import and matching stay free of SQL and can be tested against an in-memory store.
 */

/** An advisory ready to store: an OSV record with its timestamps normalised and names keyed for lookup. */
export interface AdvisoryRecord {
  id: string;
  /** RFC 3339; null when the record carries no usable one (the Go database's `0001-01-01`). */
  modified: string | null;
  published: string | null;
  withdrawn: string | null;
  aliases: string[];
  upstream: string[];
  related: string[];
  summary: string | null;
  details: string | null;
  severity: OsvSeverity[];
  references: OsvReference[];
  databaseSpecific: JsonObject | null;
  schemaVersion: string | null;
  /** SHA-256 of the record's JSON: decides "changed" when `modified` cannot. */
  contentHash: string;
  affected: AffectedPackageRecord[];
}

/** One `affected[]` entry that names a package, with its GIT ranges left out (they cannot be matched offline). */
export interface AffectedPackageRecord {
  /** Full OSV ecosystem: `Debian:12`, `Alpine:v3.20`, `PyPI`. */
  ecosystem: string;
  /** `Debian`, `Alpine`, `PyPI`: what lookups are keyed by. */
  ecosystemBase: string;
  /** Normalised per ecosystem (PEP 503 for PyPI). */
  name: string;
  purl: string | null;
  ranges: OsvRange[];
  versions: string[];
  severity: OsvSeverity[];
  ecosystemSpecific: JsonObject | null;
  databaseSpecific: JsonObject | null;
}

export interface WriteOutcome {
  /** Advisories the store did not have. */
  inserted: number;
  /** Advisories replaced because the incoming record was newer (or, without dates, different). */
  updated: number;
}

export interface SourceImport {
  /** The source's identity: an archive's or directory's absolute path, or a download URL. */
  source: string;
  kind: 'archive' | 'directory' | 'download';
  counts: ImportCounts;
  importedAt: Date;
  /** HTTP validators of a downloaded archive, for conditional re-downloads. */
  etag?: string;
  lastModified?: string;
}

export interface ImportCounts {
  read: number;
  inserted: number;
  updated: number;
  unchanged: number;
  malformed: number;
  withdrawn: number;
}

/** Writes advisories; implemented by the database. */
export interface AdvisoryWriter {
  /**
   * Stores a batch atomically. An advisory already stored is replaced only when the incoming
   * record is newer by `modified`, or — when either side has no `modified` — when its content
   * hash differs. Ids are unique within a batch.
   */
  writeAdvisories(
    source: string,
    batch: AdvisoryRecord[],
    options?: { signal?: AbortSignal },
  ): Promise<WriteOutcome>;
  recordImport(result: SourceImport, options?: { signal?: AbortSignal }): Promise<void>;
}

/** The (ecosystem, package) pairs a lookup asks for. */
export interface PackageKey {
  ecosystemBase: string;
  name: string;
}

/** An affected entry as stored; JSON columns are typed `unknown` until the matcher reads them. */
export interface StoredAffected {
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

export interface StoredAdvisory {
  id: string;
  aliases: string[];
  upstream: string[];
  related: string[];
  summary: string | null;
  /** The start of `details`, for a one-line description when `summary` is absent. */
  detailsExcerpt: string | null;
  severity: unknown;
  references: unknown;
  databaseSpecific: unknown;
}

/** Reads what matching needs; implemented by the database. */
export interface AdvisoryReader {
  /** Affected entries of advisories not withdrawn, for these packages, in one query. */
  findAffected(keys: PackageKey[], options?: { signal?: AbortSignal }): Promise<StoredAffected[]>;
  findAdvisories(ids: string[], options?: { signal?: AbortSignal }): Promise<StoredAdvisory[]>;
}
