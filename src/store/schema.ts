import type { ColumnType, Generated, JSONColumnType } from 'kysely';

/** The database schema as kysely sees it; each area's tables are added by its migrations. */
export interface AirlockSchema {
  vuln_source: VulnSourceTable;
  vuln_advisory: VulnAdvisoryTable;
  vuln_affected: VulnAffectedTable;
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
