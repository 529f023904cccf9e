import { createHash } from 'node:crypto';
import type { AuditEntry } from './types.js';

/** `prevHash` of the first entry. */
export const GENESIS_HASH = '0'.repeat(64);

/**
 * Domain separation: the hash input starts with this line, so that an audit hash can never
 * be replayed as the hash of any other Airlock object, and so that a future format is a new
 * prefix rather than an ambiguity.
 */
const HASH_DOMAIN = 'airlock-audit-v1\n';

/**
 * The hash of an entry: SHA-256 over the domain line and the canonical JSON of every field but
 * `hash` itself — `prevHash` included, which is what chains the entries.
 */
export function hashAuditEntry(entry: Omit<AuditEntry, 'hash'>): string {
  const body = canonicalJson({
    seq: entry.seq,
    at: entry.at,
    actor: entry.actor,
    action: entry.action,
    target: entry.target,
    details: entry.details,
    prevHash: entry.prevHash,
  });
  return createHash('sha256').update(HASH_DOMAIN).update(body, 'utf8').digest('hex');
}

/**
 * Canonical JSON (RFC 8785, JCS): object keys sorted by UTF-16 code units, no whitespace,
 * numbers and strings as ECMAScript's JSON.stringify writes them — which is what JCS specifies.
 * Values must already be plain JSON (see {@link toJsonValue}).
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const keys = Object.keys(value).sort();
  const members = keys.map(
    (key) => `${JSON.stringify(key)}:${canonicalJson((value as Record<string, unknown>)[key])}`,
  );
  return `{${members.join(',')}}`;
}

/**
 * Details as they will read back from a `jsonb` column: a JSON round trip (dropping undefined,
 * turning dates into strings) with NUL characters replaced, which `jsonb` cannot hold. Hashing
 * this form is what lets `verify` recompute the same hash from the stored row.
 */
export function toJsonValue(details: Record<string, unknown>): Record<string, unknown> {
  const text = JSON.stringify(details, (_key, value: unknown) =>
    typeof value === 'string' ? value.replaceAll('\u0000', '\uFFFD') : value,
  );
  return JSON.parse(text) as Record<string, unknown>;
}
