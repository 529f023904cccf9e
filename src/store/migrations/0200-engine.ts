import { type Kysely, type Migration, sql } from 'kysely';

/**
 * The workflow engine's own records (DBOS keeps its execution state in its own schema):
 * definitions by immutable version, runs with their step states and logs, approvals,
 * deduplicated trigger events, and engine workers' heartbeats.
 */
export const engineTables: Migration = {
  async up(db: Kysely<unknown>) {
    await sql`
      CREATE TABLE workflow_version (
        name text NOT NULL,
        version integer NOT NULL,
        digest text NOT NULL,
        source text NOT NULL,
        definition jsonb NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        created_by text NOT NULL,
        PRIMARY KEY (name, version),
        UNIQUE (name, digest)
      )`.execute(db);
    await sql`
      CREATE TABLE run (
        id text PRIMARY KEY,
        workflow text NOT NULL,
        version integer NOT NULL,
        status text NOT NULL,
        trigger jsonb NOT NULL,
        inputs jsonb NOT NULL,
        started_by text NOT NULL,
        idempotency_key text UNIQUE,
        created_at timestamptz NOT NULL DEFAULT now(),
        started_at timestamptz,
        finished_at timestamptz,
        outputs jsonb,
        error jsonb,
        FOREIGN KEY (workflow, version) REFERENCES workflow_version (name, version)
      )`.execute(db);
    await sql`CREATE INDEX run_by_workflow ON run (workflow, created_at DESC)`.execute(db);
    await sql`CREATE INDEX run_by_status ON run (status, created_at DESC)`.execute(db);
    await sql`
      CREATE TABLE run_step (
        run_id text NOT NULL REFERENCES run (id) ON DELETE CASCADE,
        step_id text NOT NULL,
        idx integer NOT NULL DEFAULT -1,
        uses text NOT NULL,
        status text NOT NULL,
        attempt integer NOT NULL DEFAULT 0,
        started_at timestamptz,
        finished_at timestamptz,
        outputs jsonb,
        error jsonb,
        PRIMARY KEY (run_id, step_id, idx)
      )`.execute(db);
    await sql`
      CREATE TABLE run_log (
        seq bigserial PRIMARY KEY,
        run_id text NOT NULL REFERENCES run (id) ON DELETE CASCADE,
        at timestamptz NOT NULL,
        step_id text,
        idx integer,
        level text NOT NULL,
        message text NOT NULL,
        fields jsonb
      )`.execute(db);
    await sql`CREATE INDEX run_log_by_run ON run_log (run_id, seq)`.execute(db);
    await sql`
      CREATE TABLE approval (
        run_id text NOT NULL REFERENCES run (id) ON DELETE CASCADE,
        step_id text NOT NULL,
        idx integer NOT NULL DEFAULT -1,
        status text NOT NULL,
        approvers text[] NOT NULL,
        message text,
        requested_at timestamptz NOT NULL,
        timeout_at timestamptz,
        decided_by text,
        decided_at timestamptz,
        reason text,
        waiter text NOT NULL,
        PRIMARY KEY (run_id, step_id, idx)
      )`.execute(db);
    await sql`CREATE INDEX approval_pending ON approval (status) WHERE status = 'pending'`.execute(db);
    await sql`CREATE TABLE trigger_event (id text PRIMARY KEY, received_at timestamptz NOT NULL DEFAULT now())`.execute(
      db,
    );
    await sql`
      CREATE TABLE engine_worker (
        executor_id text PRIMARY KEY,
        hostname text NOT NULL,
        pid integer NOT NULL,
        started_at timestamptz NOT NULL,
        heartbeat_at timestamptz NOT NULL,
        recovered_at timestamptz
      )`.execute(db);
  },
  async down(db: Kysely<unknown>) {
    for (const table of [
      'engine_worker',
      'trigger_event',
      'approval',
      'run_log',
      'run_step',
      'run',
      'workflow_version',
    ]) {
      await sql`DROP TABLE IF EXISTS ${sql.table(table)}`.execute(db);
    }
  },
};
