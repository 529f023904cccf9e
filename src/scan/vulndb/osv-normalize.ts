import { createHash } from 'node:crypto';
import type { JsonObject } from '../../kernel/index.js';
import type { AdvisoryRecord, AffectedPackageRecord } from './advisory-store.js';
import { ecosystemBase, normalizePackageName } from './ecosystems.js';
import type { OsvAffected, OsvRecord } from './osv.js';
import { normalizeTimestamp } from './osv-validate.js';

/**
 * Dates before this are placeholders, not dates: the Go vulnerability database publishes
 * `0001-01-01T00:00:00Z` (Go's zero time) as `modified` in its raw data.
 */
const EARLIEST_REAL_TIMESTAMP = Date.UTC(1970, 0, 2);

/** A validated OSV record in the form the database stores; `json` is its text, hashed for change detection. */
export function toAdvisoryRecord(record: OsvRecord, json: string): AdvisoryRecord {
  return {
    id: record.id,
    modified: realTimestamp(record.modified),
    published: realTimestamp(record.published),
    withdrawn: realTimestamp(record.withdrawn),
    aliases: record.aliases ?? [],
    upstream: record.upstream ?? [],
    related: record.related ?? [],
    summary: record.summary ?? null,
    details: record.details ?? null,
    severity: record.severity ?? [],
    references: record.references ?? [],
    databaseSpecific: record.database_specific ?? null,
    schemaVersion: record.schema_version ?? null,
    contentHash: createHash('sha256').update(json).digest('hex'),
    affected: (record.affected ?? []).flatMap(toAffected),
  };
}

function toAffected(affected: OsvAffected): AffectedPackageRecord[] {
  if (!affected.package) return [];
  const ranges = (affected.ranges ?? []).filter((range) => range.type !== 'GIT');
  const versions = affected.versions ?? [];
  if (ranges.length === 0 && versions.length === 0) return [];
  const base = ecosystemBase(affected.package.ecosystem);
  return [
    {
      ecosystem: affected.package.ecosystem,
      ecosystemBase: base,
      name: normalizePackageName(base, affected.package.name),
      purl: affected.package.purl ?? null,
      ranges,
      versions,
      severity: affected.severity ?? [],
      ecosystemSpecific: (affected.ecosystem_specific as JsonObject | undefined) ?? null,
      databaseSpecific: (affected.database_specific as JsonObject | undefined) ?? null,
    },
  ];
}

function realTimestamp(value: string | undefined): string | null {
  if (value === undefined) return null;
  const normalized = normalizeTimestamp(value);
  return Date.parse(normalized) < EARLIEST_REAL_TIMESTAMP ? null : normalized;
}
