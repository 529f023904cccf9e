import { DAY_MS, parseDuration } from '../../kernel/index.js';

export { DURATION_PATTERN, formatDuration, parseDuration } from '../../kernel/index.js';

/** Longest duration accepted anywhere (a year): longer values are typos, not plans. */
export const MAX_DURATION_MS = 365 * DAY_MS;

/** Why a duration text is unusable, or undefined when it is fine. */
export function durationProblem(text: string): string | undefined {
  const ms = parseDuration(text);
  if (ms === undefined) {
    return `"${text}" is not a duration: write a number with a unit (ms, s, m, h, d), e.g. 500ms, 5s, 10m, 72h, 2d`;
  }
  if (ms === 0) return `"${text}" is zero: a duration must be longer than 0`;
  if (ms > MAX_DURATION_MS) return `"${text}" is longer than a year (365d)`;
  return undefined;
}
