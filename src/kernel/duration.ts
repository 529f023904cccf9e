/**
 * Durations as users write them (`500ms`, `5s`, `10m`, `72h`, `2d`, or combined as `1h30m`),
 * the way Go's `time.ParseDuration` reads them, without fractions: workflow time-outs and
 * retries, the registry's upload expiry, `--grace`.
 */

const UNIT_MS = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/** Source of the JSON Schema `pattern`, so that editors flag a bad duration as it is typed. */
export const DURATION_PATTERN = '^(?:[0-9]+(?:ms|s|m|h|d))+$';

const DURATION = new RegExp(DURATION_PATTERN);
const PART = /([0-9]+)(ms|s|m|h|d)/g;

/** Milliseconds of a duration, or undefined when the text is not one. */
export function parseDuration(text: string): number | undefined {
  if (!DURATION.test(text)) return undefined;
  let total = 0;
  for (const match of text.matchAll(PART)) {
    total += Number(match[1]) * UNIT_MS[match[2] as keyof typeof UNIT_MS];
  }
  return total;
}

/** The shortest exact rendering of a duration (`5400000` → `1h30m`); inverse of parseDuration. */
export function formatDuration(ms: number): string {
  if (ms === 0) return '0s';
  const parts: string[] = [];
  let rest = ms;
  for (const unit of ['d', 'h', 'm', 's', 'ms'] as const) {
    const size = UNIT_MS[unit];
    if (rest >= size) {
      parts.push(`${Math.floor(rest / size)}${unit}`);
      rest %= size;
    }
  }
  return parts.join('');
}

/** A day in milliseconds, for limits written in days. */
export const DAY_MS = UNIT_MS.d;
