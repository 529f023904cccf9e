import type { ColumnType } from 'kysely';

/** Timestamps are written as RFC 3339 strings or Dates and read back as Dates. */
type Timestamp = ColumnType<Date, Date | string, Date | string>;

/** One API token, by the hash of its secret. Migration 0100. */
export interface ApiTokenTable {
  id: string;
  hash: string;
  subject: string;
  roles: string[];
  description: string | null;
  created_at: Timestamp;
  created_by: string;
  expires_at: Timestamp | null;
  last_used_at: Timestamp | null;
  revoked_at: Timestamp | null;
  revoked_by: string | null;
}
