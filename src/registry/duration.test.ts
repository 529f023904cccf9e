import { describe, expect, it } from 'vitest';
import { AppError } from '../kernel/index.js';
import { formatDuration, parseDuration } from './duration.js';

describe('durations', () => {
  it.each([
    ['250ms', 250],
    ['30s', 30_000],
    ['5m', 300_000],
    ['1h30m', 5_400_000],
    ['7d', 604_800_000],
  ])('parses %s', (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
    expect(parseDuration(formatDuration(ms))).toBe(ms);
  });

  it.each(['', '5', 'm5', '1.5h', '5 m', '-1s', 'forever'])('refuses "%s" saying what it expects', (text) => {
    expect(() => parseDuration(text, '--grace')).toThrow(AppError);
    expect(() => parseDuration(text, '--grace')).toThrow(/invalid --grace/);
  });
});
