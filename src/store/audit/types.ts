/** One entry of the audit log, as stored and as the chain hashes it. */
export interface AuditEntry {
  /** 1, 2, 3, … with no gaps. */
  seq: number;
  /** RFC 3339 with milliseconds, from the database's clock. */
  at: string;
  /** Subject that acted: `user:alice`, `robot:ci`, `system:scheduler`. */
  actor: string;
  /** `run.start`, `approval.approve`, `workflow.apply`, `token.create`, … */
  action: string;
  /** What it acted on: `run:<id>`, `workflow:<name>@<version>`, `token:<id>`. */
  target: string;
  details: Record<string, unknown>;
  /** `hash` of the entry before (64 zeros for the first). */
  prevHash: string;
  /** Lowercase hex SHA-256 over the entry's canonical form, `prevHash` included. */
  hash: string;
}

export interface NewAuditEntry {
  actor: string;
  action: string;
  target: string;
  /** JSON-safe; never a secret. */
  details?: Record<string, unknown>;
}

export interface AuditFilter {
  actor?: string;
  action?: string;
  target?: string;
  /** Entries before this sequence number (pagination, newest first). */
  before?: number;
  /** At most this many (default 100, at most 1000). */
  limit?: number;
}

export type AuditBreak =
  'hash-mismatch' | 'chain-broken' | 'sequence-gap' | 'anchor-mismatch' | 'anchor-missing';

export interface AuditVerification {
  ok: boolean;
  /** Entries whose hash was recomputed. */
  checked: number;
  /** The last entry: record it somewhere else to detect a later removal of the newest entries. */
  head?: { seq: number; hash: string };
  /** The first entry found broken, with what is wrong with it. */
  broken?: { seq: number; reason: AuditBreak; message: string };
}

export interface AuditCallOptions {
  signal?: AbortSignal;
}

export interface VerifyAuditOptions extends AuditCallOptions {
  /** A head recorded earlier: the entry at `seq` must still exist with this hash. */
  anchor?: { seq: number; hash: string };
}

/** The capability the API and the engine append to. */
export interface AuditLog {
  append(entry: NewAuditEntry, options?: AuditCallOptions): Promise<AuditEntry>;
  /** Newest first. */
  list(filter?: AuditFilter, options?: AuditCallOptions): Promise<AuditEntry[]>;
  verify(options?: VerifyAuditOptions): Promise<AuditVerification>;
}
