import { z } from 'zod';

/**
 * Durations as workflow files write them (`90s`, `5m`, `1h30m`), the syntax of the registry
 * configuration and of step time-outs; a bare number is milliseconds.
 */
const UNIT_MS: Record<string, number> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 };
const DURATION = /^(?:\d+(?:ms|s|m|h|d))+$/;
const PART = /(\d+)(ms|s|m|h|d)/g;

export const durationField = z.union([
  z.int().min(1),
  z.string().regex(DURATION, 'must be a duration such as 30s, 5m or 1h30m'),
]);

/** Milliseconds of a value `durationField` accepted. */
export function durationMs(value: number | string): number {
  if (typeof value === 'number') return value;
  let total = 0;
  for (const match of value.matchAll(PART)) total += Number(match[1]) * UNIT_MS[match[2]!]!;
  return total;
}
