import type { ColumnType, JSONColumnType } from 'kysely';

/** One audit entry of the hash chain. Migration 0101. */
export interface AuditLogTable {
  /** int8: the driver hands it back as a string. */
  seq: ColumnType<string, number | string, never>;
  at: ColumnType<Date, Date | string, never>;
  actor: string;
  action: string;
  target: string;
  details: JSONColumnType<Record<string, unknown>>;
  prev_hash: string;
  hash: string;
}
