import { type Kysely, type Migration, sql } from 'kysely';

/**
 * Scan results per image digest: one `scan_result` per scan (Airlock's own, or an imported
 * Trivy or Grype report) and one `scan_result_platform` per platform manifest it covers, so
 * that a result is found by the digest of the index or of any of its platform manifests.
 * Findings and notices are `json`: stored and handed back whole, never queried inside;
 * the small documents that may be (summaries, scanner, OS) are `jsonb`.
 */
export const scanResults: Migration = {
  async up(db: Kysely<unknown>) {
    await sql`
      CREATE TABLE scan_result (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        image_digest text NOT NULL,
        media_type text,
        reference text NOT NULL,
        origin text NOT NULL CHECK (origin IN ('airlock', 'trivy', 'grype')),
        scanner jsonb NOT NULL,
        started_at timestamptz,
        scanned_at timestamptz NOT NULL,
        stored_at timestamptz NOT NULL DEFAULT now(),
        summary jsonb NOT NULL
      )`.execute(db);
    await sql`CREATE INDEX scan_result_image ON scan_result (image_digest, scanned_at DESC)`.execute(db);
    await sql`
      CREATE TABLE scan_result_platform (
        result_id uuid NOT NULL REFERENCES scan_result (id) ON DELETE CASCADE,
        ordinal integer NOT NULL,
        manifest_digest text NOT NULL,
        platform jsonb,
        os jsonb,
        package_count integer,
        inventory_source text NOT NULL,
        summary jsonb NOT NULL,
        findings json NOT NULL,
        notices json NOT NULL,
        PRIMARY KEY (result_id, ordinal)
      )`.execute(db);
    await sql`CREATE INDEX scan_result_platform_manifest ON scan_result_platform (manifest_digest)`.execute(
      db,
    );
  },
  async down(db: Kysely<unknown>) {
    await sql`DROP TABLE IF EXISTS scan_result_platform`.execute(db);
    await sql`DROP TABLE IF EXISTS scan_result`.execute(db);
  },
};
