import type {
  AdvisoryReader,
  AdvisoryRecord,
  AdvisoryWriter,
  PackageKey,
  SourceImport,
  StoredAdvisory,
  StoredAffected,
  WriteOutcome,
} from '../advisory-store.js';

/**
 * An in-memory vulnerability database with the database's semantics (replace only when
 * newer by `modified`, else when the content differs and a date is missing; withdrawn
 * advisories are not found), for unit tests of import and matching.
 */
export class MemoryAdvisoryStore implements AdvisoryWriter, AdvisoryReader {
  readonly advisories = new Map<string, AdvisoryRecord & { source: string }>();
  readonly imports: SourceImport[] = [];
  /** Batches written, for tests of batching. */
  readonly batches: number[] = [];

  async writeAdvisories(source: string, batch: AdvisoryRecord[]): Promise<WriteOutcome> {
    this.batches.push(batch.length);
    let inserted = 0;
    let updated = 0;
    for (const record of batch) {
      const stored = this.advisories.get(record.id);
      if (!stored) inserted++;
      else if (supersedes(record, stored)) updated++;
      else continue;
      this.advisories.set(record.id, { ...record, source });
    }
    return { inserted, updated };
  }

  async recordImport(result: SourceImport): Promise<void> {
    this.imports.push(result);
  }

  async findAffected(keys: PackageKey[]): Promise<StoredAffected[]> {
    const wanted = new Set(keys.map((k) => `${k.ecosystemBase}\u0000${k.name}`));
    const out: StoredAffected[] = [];
    for (const advisory of this.advisories.values()) {
      if (advisory.withdrawn) continue;
      for (const entry of advisory.affected) {
        if (!wanted.has(`${entry.ecosystemBase}\u0000${entry.name}`)) continue;
        out.push({
          advisoryId: advisory.id,
          ecosystem: entry.ecosystem,
          ecosystemBase: entry.ecosystemBase,
          name: entry.name,
          ranges: entry.ranges,
          versions: entry.versions,
          severity: entry.severity,
          ecosystemSpecific: entry.ecosystemSpecific,
          databaseSpecific: entry.databaseSpecific,
        });
      }
    }
    return out;
  }

  async findAdvisories(ids: string[]): Promise<StoredAdvisory[]> {
    return ids.flatMap((id) => {
      const a = this.advisories.get(id);
      if (!a) return [];
      return [
        {
          id: a.id,
          aliases: a.aliases,
          upstream: a.upstream,
          related: a.related,
          summary: a.summary,
          detailsExcerpt: a.details?.slice(0, 400) ?? null,
          severity: a.severity,
          references: a.references,
          databaseSpecific: a.databaseSpecific,
        },
      ];
    });
  }
}

function supersedes(incoming: AdvisoryRecord, stored: AdvisoryRecord): boolean {
  if (incoming.modified && stored.modified)
    return Date.parse(incoming.modified) > Date.parse(stored.modified);
  return incoming.contentHash !== stored.contentHash;
}
