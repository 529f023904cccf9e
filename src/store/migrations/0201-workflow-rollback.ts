import { type Kysely, type Migration, sql } from 'kysely';

/**
 * Applying the text of an older version again (a rollback) makes a new latest version: only
 * the latest version's text is compared, so (name, digest) is no longer unique.
 */
export const workflowRollback: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await sql`ALTER TABLE workflow_version DROP CONSTRAINT IF EXISTS workflow_version_name_digest_key`.execute(
      db,
    );
  },
  async down(db: Kysely<unknown>): Promise<void> {
    await sql`ALTER TABLE workflow_version ADD CONSTRAINT workflow_version_name_digest_key UNIQUE (name, digest)`.execute(
      db,
    );
  },
};
