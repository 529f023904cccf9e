import type { OsvRecord } from './osv.js';

/**
 * Checks the fields of an OSV record that import and matching rely on, so that one bad record
 * is reported and skipped rather than stored half-understood. Deliberately lenient about what
 * does not matter for matching (unknown fields, reference types, GIT commit lengths: some
 * upstream PyPI records use short hashes).
 */
export type OsvValidation = { ok: true; record: OsvRecord } | { ok: false; problem: string };

const RANGE_TYPES = new Set(['SEMVER', 'ECOSYSTEM', 'GIT']);
const EVENT_KEYS = ['introduced', 'fixed', 'last_affected', 'limit'] as const;
/** RFC 3339 date-time, as the schema requires for `modified`, `published`, `withdrawn`. */
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:?\d{2})?$/;
/** `<DB>-<ENTRYID>`: letters, digits and `-_.:+` (AlmaLinux ids contain `:`); no spaces or slashes. */
const ID = /^[A-Za-z0-9][A-Za-z0-9._:+-]*$/;
const MAX_ID_LENGTH = 256;

class Invalid extends Error {}

export function validateOsvRecord(value: unknown): OsvValidation {
  try {
    checkRecord(value);
    return { ok: true, record: value as OsvRecord };
  } catch (error) {
    if (error instanceof Invalid) return { ok: false, problem: error.message };
    throw error;
  }
}

function checkRecord(value: unknown): void {
  const record = object(value, 'the record');
  const id = record.id;
  if (typeof id !== 'string' || id.length === 0) throw new Invalid('"id" is missing or not a string');
  if (id.length > MAX_ID_LENGTH || !ID.test(id))
    throw new Invalid(`"id" ${JSON.stringify(id.slice(0, 80))} is not an OSV identifier`);
  timestamp(record.modified, 'modified', true);
  timestamp(record.published, 'published', false);
  timestamp(record.withdrawn, 'withdrawn', false);
  for (const field of ['aliases', 'upstream', 'related'] as const) optionalStrings(record[field], field);
  for (const field of ['summary', 'details', 'schema_version'] as const) optionalString(record[field], field);
  severities(record.severity, 'severity');
  if (record.affected !== undefined)
    array(record.affected, 'affected').forEach((a, i) => checkAffected(a, `affected[${i}]`));
  if (record.references !== undefined) {
    array(record.references, 'references').forEach((r, i) => {
      if (typeof object(r, `references[${i}]`).url !== 'string')
        throw new Invalid(`references[${i}].url is missing`);
    });
  }
  optionalObject(record.database_specific, 'database_specific');
}

function checkAffected(value: unknown, path: string): void {
  const affected = object(value, path);
  if (affected.package !== undefined) {
    const pkg = object(affected.package, `${path}.package`);
    if (typeof pkg.ecosystem !== 'string' || pkg.ecosystem === '')
      throw new Invalid(`${path}.package.ecosystem is missing`);
    if (typeof pkg.name !== 'string' || pkg.name === '') throw new Invalid(`${path}.package.name is missing`);
    optionalString(pkg.purl, `${path}.package.purl`);
  }
  severities(affected.severity, `${path}.severity`);
  optionalStrings(affected.versions, `${path}.versions`);
  if (affected.ranges !== undefined)
    array(affected.ranges, `${path}.ranges`).forEach((r, i) => checkRange(r, `${path}.ranges[${i}]`));
  optionalObject(affected.ecosystem_specific, `${path}.ecosystem_specific`);
  optionalObject(affected.database_specific, `${path}.database_specific`);
}

function checkRange(value: unknown, path: string): void {
  const range = object(value, path);
  if (typeof range.type !== 'string' || !RANGE_TYPES.has(range.type)) {
    throw new Invalid(`${path}.type must be SEMVER, ECOSYSTEM or GIT, got ${JSON.stringify(range.type)}`);
  }
  const events = array(range.events, `${path}.events`);
  if (events.length === 0) throw new Invalid(`${path}.events is empty`);
  let introduced = false;
  events.forEach((e, i) => {
    const event = object(e, `${path}.events[${i}]`);
    const keys = EVENT_KEYS.filter((key) => event[key] !== undefined);
    if (keys.length !== 1)
      throw new Invalid(`${path}.events[${i}] needs exactly one of introduced, fixed, last_affected, limit`);
    const version = event[keys[0]!];
    if (typeof version !== 'string' || version === '')
      throw new Invalid(`${path}.events[${i}].${keys[0]} must be a non-empty string`);
    if (keys[0] === 'introduced') introduced = true;
  });
  if (!introduced) throw new Invalid(`${path}.events has no "introduced" event`);
}

function severities(value: unknown, path: string): void {
  if (value === undefined) return;
  array(value, path).forEach((s, i) => {
    const severity = object(s, `${path}[${i}]`);
    if (typeof severity.type !== 'string' || typeof severity.score !== 'string') {
      throw new Invalid(`${path}[${i}] needs string "type" and "score"`);
    }
  });
}

function timestamp(value: unknown, field: string, required: boolean): void {
  if (value === undefined && !required) return;
  if (typeof value !== 'string')
    throw new Invalid(`"${field}" is ${value === undefined ? 'missing' : 'not a string'}`);
  if (!TIMESTAMP.test(value) || Number.isNaN(Date.parse(normalizeTimestamp(value)))) {
    throw new Invalid(`"${field}" ${JSON.stringify(value.slice(0, 40))} is not an RFC 3339 timestamp`);
  }
}

/** An RFC 3339 timestamp in the form `Date.parse` and Postgres both read: `T` separator, explicit offset. */
export function normalizeTimestamp(value: string): string {
  const withT = value.replace(/^(\d{4}-\d{2}-\d{2})[t ]/, '$1T');
  return /([Zz]|[+-]\d{2}:?\d{2})$/.test(withT) ? withT : `${withT}Z`;
}

function object(value: unknown, path: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new Invalid(`${path} is not a JSON object`);
  return value as Record<string, unknown>;
}

function array(value: unknown, path: string): unknown[] {
  if (!Array.isArray(value)) throw new Invalid(`${path} is not an array`);
  return value;
}

function optionalObject(value: unknown, path: string): void {
  if (value !== undefined && value !== null) object(value, path);
}

function optionalString(value: unknown, path: string): void {
  if (value !== undefined && typeof value !== 'string') throw new Invalid(`${path} is not a string`);
}

function optionalStrings(value: unknown, path: string): void {
  if (value === undefined || value === null) return;
  if (!array(value, path).every((v) => typeof v === 'string'))
    throw new Invalid(`${path} must hold only strings`);
}
