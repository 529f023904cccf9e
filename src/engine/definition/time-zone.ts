import { nearest } from './suggest.js';

/**
 * IANA time zones as the runtime knows them (`Intl.supportedValuesOf('timeZone')`, which lists
 * canonical names only), plus `UTC` and any alias `Intl.DateTimeFormat` accepts (`Etc/UTC`).
 */
let canonicalZones: readonly string[] | undefined;

function zones(): readonly string[] {
  canonicalZones ??= [...Intl.supportedValuesOf('timeZone'), 'UTC'];
  return canonicalZones;
}

export function isKnownTimeZone(name: string): boolean {
  if (zones().includes(name)) return true;
  // Aliases (`Etc/UTC`, `US/Eastern`) are valid IANA names but not listed as canonical.
  if (!/^[A-Za-z][A-Za-z0-9_+\-/]*$/.test(name)) return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

/** Why a time zone is unusable, with the nearest known name; undefined when it is fine. */
export function timeZoneProblem(name: string): string | undefined {
  if (isKnownTimeZone(name)) return undefined;
  const caseless = zones().find((zone) => zone.toLowerCase() === name.toLowerCase());
  const suggestion = caseless ?? nearest(name, zones());
  const hint =
    suggestion === undefined
      ? 'use an IANA name such as Europe/Berlin or UTC'
      : `did you mean ${suggestion}?`;
  return `unknown time zone "${name}": ${hint}`;
}
