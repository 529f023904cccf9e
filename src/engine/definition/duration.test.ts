import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { durationProblem, formatDuration, parseDuration } from './duration.js';

describe('durations', () => {
  it('parses the units workflows use, alone and combined', () => {
    expect(parseDuration('500ms')).toBe(500);
    expect(parseDuration('5s')).toBe(5_000);
    expect(parseDuration('10m')).toBe(600_000);
    expect(parseDuration('72h')).toBe(259_200_000);
    expect(parseDuration('2d')).toBe(172_800_000);
    expect(parseDuration('1h30m')).toBe(5_400_000);
    for (const bad of ['', '5', '5 s', '1.5h', '-1s', '5sec', 'm5'])
      expect(parseDuration(bad), bad).toBeUndefined();
  });

  it('explains unusable durations', () => {
    expect(durationProblem('5 minutes')).toBe(
      '"5 minutes" is not a duration: write a number with a unit (ms, s, m, h, d), e.g. 500ms, 5s, 10m, 72h, 2d',
    );
    expect(durationProblem('0ms')).toBe('"0ms" is zero: a duration must be longer than 0');
    expect(durationProblem('366d')).toBe('"366d" is longer than a year (365d)');
    expect(durationProblem('365d')).toBeUndefined();
  });

  it('formats to the shortest text that parses back (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 400 * 86_400_000 }), (ms) => {
        expect(parseDuration(formatDuration(ms))).toBe(ms);
      }),
    );
    expect(formatDuration(5_400_000)).toBe('1h30m');
  });
});
