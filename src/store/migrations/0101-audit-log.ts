import { type Kysely, type Migration, sql } from 'kysely';

/**
 * The audit log: a hash chain (see `store/audit/chain.ts`). `seq` is assigned by the writer
 * under an advisory lock rather than by a sequence, so that it has no gaps a rolled-back
 * transaction would leave: a missing number always means a removed entry.
 *
 * Triggers refuse UPDATE, DELETE and TRUNCATE, so that no code path of Airlock — nor a casual
 * `psql` session — can change history. A database owner can still disable them; the chain is
 * what detects that (`airlock audit verify`).
 */
export const auditLog: Migration = {
  async up(db: Kysely<unknown>) {
    await sql`
      CREATE TABLE audit_log (
        seq bigint PRIMARY KEY CHECK (seq > 0),
        at timestamptz NOT NULL,
        actor text NOT NULL,
        action text NOT NULL,
        target text NOT NULL,
        details jsonb NOT NULL,
        prev_hash text NOT NULL,
        hash text NOT NULL
      )`.execute(db);
    await sql`CREATE INDEX audit_log_action ON audit_log (action, seq)`.execute(db);
    await sql`CREATE INDEX audit_log_actor ON audit_log (actor, seq)`.execute(db);
    await sql`CREATE INDEX audit_log_target ON audit_log (target, seq)`.execute(db);
    await sql`
      CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'audit_log is append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
      END
      $$`.execute(db);
    await sql`
      CREATE TRIGGER audit_log_no_change BEFORE UPDATE OR DELETE ON audit_log
      FOR EACH ROW EXECUTE FUNCTION audit_log_append_only()`.execute(db);
    await sql`
      CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
      FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only()`.execute(db);
  },
  async down(db: Kysely<unknown>) {
    await sql`DROP TABLE audit_log`.execute(db);
    await sql`DROP FUNCTION audit_log_append_only()`.execute(db);
  },
};
