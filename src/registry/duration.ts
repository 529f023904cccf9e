import { AppError } from '../kernel/index.js';

const UNIT_MS: Record<string, number> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 };
const DURATION = /^(?:\d+(?:ms|s|m|h|d))+$/;
const PART = /(\d+)(ms|s|m|h|d)/g;

/** Parses `90s`, `5m`, `1h30m`, `7d` into milliseconds; the error names the offending text. */
export function parseDuration(text: string, what = 'duration'): number {
  const trimmed = text.trim();
  if (!DURATION.test(trimmed)) {
    throw new AppError(
      'USAGE_INVALID',
      `invalid ${what} "${text}": expected a number with a unit (ms, s, m, h, d), e.g. 30s, 5m, 1h30m, 7d`,
    );
  }
  let total = 0;
  for (const match of trimmed.matchAll(PART)) total += Number(match[1]) * UNIT_MS[match[2]!]!;
  return total;
}

/** The shortest exact rendering of a duration for messages (`3600000` → `1h`). */
export function formatDuration(ms: number): string {
  if (ms === 0) return '0s';
  const parts: string[] = [];
  let rest = ms;
  for (const unit of ['d', 'h', 'm', 's', 'ms'] as const) {
    const size = UNIT_MS[unit]!;
    if (rest >= size) {
      parts.push(`${Math.floor(rest / size)}${unit}`);
      rest %= size;
    }
  }
  return parts.join('');
}
