import { AppError, parseDuration as parseDurationText } from '../kernel/index.js';

export { formatDuration } from '../kernel/index.js';

/** Parses `90s`, `5m`, `1h30m`, `7d` into milliseconds; the error names the offending text. */
export function parseDuration(text: string, what = 'duration'): number {
  const ms = parseDurationText(text.trim());
  if (ms === undefined) {
    throw new AppError(
      'USAGE_INVALID',
      `invalid ${what} "${text}": expected a number with a unit (ms, s, m, h, d), e.g. 30s, 5m, 1h30m, 7d`,
    );
  }
  return ms;
}
