import { type Kysely, type Migration, sql } from 'kysely';

/**
 * API tokens: only the SHA-256 of each secret is stored (see `store/auth/token-secret.ts`),
 * looked up by that hash on every request. Revoked tokens keep their row, so that audit entries
 * and `airlock token list --all` can still name them.
 */
export const apiTokens: Migration = {
  async up(db: Kysely<unknown>) {
    await sql`
      CREATE TABLE api_token (
        id text PRIMARY KEY,
        hash text NOT NULL UNIQUE CHECK (hash ~ '^[0-9a-f]{64}$'),
        subject text NOT NULL,
        roles text[] NOT NULL CHECK (
          cardinality(roles) > 0 AND roles <@ ARRAY['viewer', 'operator', 'approver', 'admin']::text[]
        ),
        description text,
        created_at timestamptz NOT NULL DEFAULT now(),
        created_by text NOT NULL,
        expires_at timestamptz,
        last_used_at timestamptz,
        revoked_at timestamptz,
        revoked_by text
      )`.execute(db);
    await sql`CREATE INDEX api_token_created ON api_token (created_at DESC)`.execute(db);
  },
  async down(db: Kysely<unknown>) {
    await sql`DROP TABLE api_token`.execute(db);
  },
};
