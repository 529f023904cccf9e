import { type Kysely, type Transaction, sql } from 'kysely';
import { throwIfAborted } from '../../kernel/index.js';
import type { AirlockSchema } from '../schema.js';
import { readVulnDbStatus } from './status.js';
import type {
  AdvisoryInput,
  AffectedRow,
  AdvisoryRow,
  ImportResultInput,
  PackageKeyInput,
  VulnDbStatus,
} from './types.js';

interface Signal {
  signal?: AbortSignal;
}

/** Length of the `details` excerpt lookups return: a one-line description, not the whole text. */
const DETAILS_EXCERPT_CHARS = 400;

/**
 * The vulnerability database on Postgres. Writes go in batches: each batch is one
 * transaction of three statements whatever its size, the rows travelling as one JSON
 * parameter (`json_to_recordset`), which is close to COPY speed without a COPY client.
 */
export class PostgresAdvisoryStore {
  constructor(private readonly db: Kysely<AirlockSchema>) {}

  /**
   * Inserts new advisories and replaces stored ones the incoming record supersedes: newer by
   * `modified`, or — when either side has none (the Go database's raw data) — different by
   * content hash. Superseded advisories have their affected entries replaced; the others are
   * attributed to this source, the last one seen carrying them.
   */
  async writeAdvisories(
    source: string,
    batch: AdvisoryInput[],
    options: Signal = {},
  ): Promise<{ inserted: number; updated: number }> {
    throwIfAborted(options.signal);
    if (batch.length === 0) return { inserted: 0, updated: 0 };
    // Rows are locked in id order, so that concurrent imports of overlapping data cannot deadlock.
    const sorted = [...batch].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    return this.db.transaction().execute(async (trx) => {
      const rows = await upsertAdvisories(trx, source, sorted);
      const writtenIds = new Set(rows.map((r) => r.id));
      const kept = sorted.filter((a) => !writtenIds.has(a.id)).map((a) => a.id);
      // A record this source also carries now belongs to it, so that counts per source stay true.
      if (kept.length > 0) {
        await sql`UPDATE vuln_advisory SET source = ${source} WHERE id = ANY(${kept}::text[]) AND source <> ${source}`.execute(
          trx,
        );
      }
      const replaced = rows.filter((r) => !r.inserted).map((r) => r.id);
      if (replaced.length > 0)
        await sql`DELETE FROM vuln_affected WHERE advisory_id = ANY(${replaced}::text[])`.execute(trx);
      // A withdrawn advisory matches nothing: its entries are not kept, which spares every lookup a join.
      await insertAffected(
        trx,
        sorted.filter((a) => writtenIds.has(a.id) && a.withdrawn === null),
      );
      return { inserted: rows.length - replaced.length, updated: replaced.length };
    });
  }

  /** Remembers when a source was imported, its counts, and a download's HTTP validators. */
  async recordImport(result: ImportResultInput, options: Signal = {}): Promise<void> {
    throwIfAborted(options.signal);
    const row = {
      name: result.source,
      kind: result.kind,
      last_import_at: result.importedAt,
      last_counts: JSON.stringify(result.counts),
      etag: result.etag ?? null,
      last_modified: result.lastModified ?? null,
    };
    await this.db
      .insertInto('vuln_source')
      .values(row)
      .onConflict((oc) => oc.column('name').doUpdateSet(row))
      .execute();
  }

  /** A download source's validators, for a conditional request. */
  async sourceValidators(
    name: string,
    options: Signal = {},
  ): Promise<{ etag?: string; lastModified?: string } | undefined> {
    throwIfAborted(options.signal);
    const row = await this.db
      .selectFrom('vuln_source')
      .select(['etag', 'last_modified'])
      .where('name', '=', name)
      .executeTakeFirst();
    if (!row) return undefined;
    return { etag: row.etag ?? undefined, lastModified: row.last_modified ?? undefined };
  }

  /** Affected entries for the given (ecosystem, package) pairs, in one query; withdrawn advisories have none. */
  async findAffected(keys: PackageKeyInput[], options: Signal = {}): Promise<AffectedRow[]> {
    throwIfAborted(options.signal);
    if (keys.length === 0) return [];
    const result = await sql<AffectedRow>`
      SELECT f.advisory_id AS "advisoryId", f.ecosystem, f.ecosystem_base AS "ecosystemBase", f.package_name AS name,
        f.ranges, f.versions, f.severity, f.ecosystem_specific AS "ecosystemSpecific", f.database_specific AS "databaseSpecific"
      FROM unnest(${keys.map((k) => k.ecosystemBase)}::text[], ${keys.map((k) => k.name)}::text[]) AS k(base, name)
      JOIN vuln_affected f ON f.ecosystem_base = k.base AND f.package_name = k.name`.execute(this.db);
    return result.rows;
  }

  /** What findings show of each advisory: identifiers, summary, severity, references. */
  async findAdvisories(ids: string[], options: Signal = {}): Promise<AdvisoryRow[]> {
    throwIfAborted(options.signal);
    if (ids.length === 0) return [];
    const result = await sql<AdvisoryRow>`
      SELECT id, aliases, upstream, related, summary, left(details, ${DETAILS_EXCERPT_CHARS}) AS "detailsExcerpt", severity,
        reference_links AS "references", database_specific AS "databaseSpecific"
      FROM vuln_advisory WHERE id = ANY(${ids}::text[])`.execute(this.db);
    return result.rows;
  }

  /** Sources, counts per ecosystem, newest `modified`, last import time. */
  status(options: Signal = {}): Promise<VulnDbStatus> {
    return readVulnDbStatus(this.db, options);
  }
}

/** Inserts or supersedes advisories; returns those written, and whether each was new. */
async function upsertAdvisories(trx: Transaction<AirlockSchema>, source: string, batch: AdvisoryInput[]) {
  const written = await sql<{ id: string; inserted: boolean }>`
    INSERT INTO vuln_advisory AS a (id, source, modified, published, withdrawn, aliases, upstream, related,
      summary, details, severity, reference_links, database_specific, schema_version, content_hash, imported_at)
    SELECT r.id, ${source}, r.modified, r.published, r.withdrawn, coalesce(r.aliases, '{}'), coalesce(r.upstream, '{}'),
      coalesce(r.related, '{}'), r.summary, r.details, coalesce(r.severity, '[]'), coalesce(r.reference_links, '[]'),
      r.database_specific, r.schema_version, r.content_hash, now()
    FROM json_to_recordset(${JSON.stringify(batch.map(advisoryJson))}::json) AS r(id text, modified timestamptz,
      published timestamptz, withdrawn timestamptz, aliases text[], upstream text[], related text[], summary text,
      details text, severity json, reference_links json, database_specific json, schema_version text, content_hash text)
    ON CONFLICT (id) DO UPDATE SET source = excluded.source, modified = excluded.modified, published = excluded.published,
      withdrawn = excluded.withdrawn, aliases = excluded.aliases, upstream = excluded.upstream, related = excluded.related,
      summary = excluded.summary, details = excluded.details, severity = excluded.severity,
      reference_links = excluded.reference_links, database_specific = excluded.database_specific,
      schema_version = excluded.schema_version, content_hash = excluded.content_hash, imported_at = excluded.imported_at
    WHERE CASE WHEN excluded.modified IS NOT NULL AND a.modified IS NOT NULL THEN excluded.modified > a.modified
               ELSE excluded.content_hash <> a.content_hash END
    RETURNING a.id, (a.xmax = 0) AS inserted`.execute(trx);
  return written.rows;
}

async function insertAffected(trx: Transaction<AirlockSchema>, advisories: AdvisoryInput[]): Promise<void> {
  const rows = advisories.flatMap((a) => a.affected.map((entry, i) => affectedJson(a.id, i, entry)));
  if (rows.length === 0) return;
  await sql`
    INSERT INTO vuln_affected (advisory_id, ordinal, ecosystem, ecosystem_base, package_name, purl, ranges, versions,
      severity, ecosystem_specific, database_specific)
    SELECT r.advisory_id, r.ordinal, r.ecosystem, r.ecosystem_base, r.package_name, r.purl, r.ranges,
      coalesce(r.versions, '{}'), coalesce(r.severity, '[]'), r.ecosystem_specific, r.database_specific
    FROM json_to_recordset(${JSON.stringify(rows)}::json) AS r(advisory_id text, ordinal integer, ecosystem text,
      ecosystem_base text, package_name text, purl text, ranges json, versions text[], severity json,
      ecosystem_specific json, database_specific json)`.execute(trx);
}

function advisoryJson(a: AdvisoryInput) {
  return {
    id: a.id,
    modified: a.modified,
    published: a.published,
    withdrawn: a.withdrawn,
    aliases: a.aliases,
    upstream: a.upstream,
    related: a.related,
    summary: a.summary,
    details: a.details,
    severity: a.severity,
    reference_links: a.references,
    database_specific: a.databaseSpecific,
    schema_version: a.schemaVersion,
    content_hash: a.contentHash,
  };
}

function affectedJson(advisoryId: string, ordinal: number, e: AdvisoryInput['affected'][number]) {
  return {
    advisory_id: advisoryId,
    ordinal,
    ecosystem: e.ecosystem,
    ecosystem_base: e.ecosystemBase,
    package_name: e.name,
    purl: e.purl,
    ranges: e.ranges,
    versions: e.versions,
    severity: e.severity,
    ecosystem_specific: e.ecosystemSpecific,
    database_specific: e.databaseSpecific,
  };
}
