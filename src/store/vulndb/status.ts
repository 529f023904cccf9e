import { type Kysely, sql } from 'kysely';
import { throwIfAborted } from '../../kernel/index.js';
import type { AirlockSchema } from '../schema.js';
import type { ImportCountsInput, VulnDbStatus, VulnSourceStatus } from './types.js';

/** What the vulnerability database holds: per source, per ecosystem, and in total. */
export async function readVulnDbStatus(
  db: Kysely<AirlockSchema>,
  options: { signal?: AbortSignal } = {},
): Promise<VulnDbStatus> {
  throwIfAborted(options.signal);
  const sources = await sql<{
    name: string;
    kind: VulnSourceStatus['kind'];
    last_import_at: Date;
    last_counts: ImportCountsInput;
    advisories: string | null;
    withdrawn: string | null;
    newest_modified: Date | null;
  }>`
    SELECT s.name, s.kind, s.last_import_at, s.last_counts, c.advisories, c.withdrawn, c.newest_modified
    FROM vuln_source s
    LEFT JOIN (
      SELECT source, count(*) AS advisories, count(*) FILTER (WHERE withdrawn IS NOT NULL) AS withdrawn,
        max(modified) AS newest_modified
      FROM vuln_advisory GROUP BY source
    ) c ON c.source = s.name
    ORDER BY s.name`.execute(db);
  throwIfAborted(options.signal);
  const ecosystems = await sql<{ ecosystem: string; entries: string; advisories: string }>`
    SELECT ecosystem_base AS ecosystem, count(*) AS entries, count(DISTINCT advisory_id) AS advisories
    FROM vuln_affected GROUP BY ecosystem_base ORDER BY ecosystem_base`.execute(db);
  const list: VulnSourceStatus[] = sources.rows.map((r) => ({
    name: r.name,
    kind: r.kind,
    lastImportAt: r.last_import_at,
    lastCounts: r.last_counts,
    advisories: Number(r.advisories ?? 0),
    withdrawn: Number(r.withdrawn ?? 0),
    newestModified: r.newest_modified,
  }));
  return {
    sources: list,
    ecosystems: ecosystems.rows.map((r) => ({
      ecosystem: r.ecosystem,
      entries: Number(r.entries),
      advisories: Number(r.advisories),
    })),
    advisories: list.reduce((total, s) => total + s.advisories, 0),
    newestModified: latest(list.map((s) => s.newestModified)),
    lastImportAt: latest(list.map((s) => s.lastImportAt)),
  };
}

function latest(dates: (Date | null)[]): Date | null {
  let out: Date | null = null;
  for (const date of dates) if (date && (!out || date > out)) out = date;
  return out;
}
