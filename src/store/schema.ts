import type { ColumnType, Generated, JSONColumnType } from 'kysely';
import type { AuditLogTable } from './audit/table.js';
import type { ApiTokenTable } from './auth/table.js';

/** The database schema as kysely sees it; each area's tables are added by its migrations. */
export interface AirlockSchema {
  vuln_source: VulnSourceTable;
  vuln_advisory: VulnAdvisoryTable;
  vuln_affected: VulnAffectedTable;
  scan_result: ScanResultTable;
  scan_result_platform: ScanResultPlatformTable;
  api_token: ApiTokenTable;
  audit_log: AuditLogTable;
}

/** Timestamps are written as RFC 3339 strings or Dates and read back as Dates. */
type Timestamp = ColumnType<Date, Date | string, Date | string>;

/** One imported source of vulnerability data (an archive, a directory tree, a download URL). Migration 0001. */
export interface VulnSourceTable {
  name: string;
  kind: 'archive' | 'directory' | 'download';
  last_import_at: Timestamp;
  /** Counts of the last import: read, inserted, updated, unchanged, malformed, withdrawn. */
  last_counts: JSONColumnType<
    Record<'read' | 'inserted' | 'updated' | 'unchanged' | 'malformed' | 'withdrawn', number>
  >;
  etag: string | null;
  last_modified: string | null;
}

/** One OSV record. Migration 0001. */
export interface VulnAdvisoryTable {
  id: string;
  /** The source that last wrote the record. */
  source: string;
  modified: Timestamp | null;
  published: Timestamp | null;
  withdrawn: Timestamp | null;
  aliases: string[];
  upstream: string[];
  related: string[];
  summary: string | null;
  details: string | null;
  severity: JSONColumnType<unknown[]>;
  reference_links: JSONColumnType<unknown[]>;
  database_specific: JSONColumnType<Record<string, unknown>> | null;
  schema_version: string | null;
  content_hash: string;
  imported_at: Generated<Date>;
}

/** One `affected[]` entry of an advisory that names a package; looked up by (ecosystem_base, package_name). Migration 0001. */
export interface VulnAffectedTable {
  advisory_id: string;
  ordinal: number;
  ecosystem: string;
  ecosystem_base: string;
  package_name: string;
  purl: string | null;
  ranges: JSONColumnType<unknown[]>;
  versions: string[];
  severity: JSONColumnType<unknown[]>;
  ecosystem_specific: JSONColumnType<Record<string, unknown>> | null;
  database_specific: JSONColumnType<Record<string, unknown>> | null;
}

/** One stored scan of an image digest: Airlock's own or an imported report. Migration 0002. */
export interface ScanResultTable {
  id: Generated<string>;
  /** Digest of the image's root manifest (the index of a multi-platform image). */
  image_digest: string;
  media_type: string | null;
  reference: string;
  origin: 'airlock' | 'trivy' | 'grype';
  /** `{ name, version?, database?: { uri?, version? } }`. */
  scanner: JSONColumnType<Record<string, unknown>>;
  started_at: Timestamp | null;
  scanned_at: Timestamp;
  stored_at: Generated<Date>;
  /** Unsuppressed findings by severity rating. */
  summary: JSONColumnType<Record<string, number>>;
}

/** One platform manifest covered by a stored scan, with its findings. Migration 0002. */
export interface ScanResultPlatformTable {
  result_id: string;
  ordinal: number;
  manifest_digest: string;
  /** `{ os, architecture, variant? }`. */
  platform: JSONColumnType<Record<string, unknown>> | null;
  /** `{ id, versionId?, prettyName? }`. */
  os: JSONColumnType<Record<string, unknown>> | null;
  package_count: number | null;
  inventory_source: string;
  summary: JSONColumnType<Record<string, number>>;
  findings: JSONColumnType<unknown[]>;
  notices: JSONColumnType<unknown[]>;
}
