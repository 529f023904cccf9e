import { describe, expect, it } from 'vitest';
import { cronProblems, normalizeCron } from './cron.js';

describe('cronProblems', () => {
  it('accepts the POSIX forms: lists, ranges, steps and names', () => {
    for (const cron of [
      '0 6 * * *',
      '*/15 0-23/2 1,15 JAN-jun MON-FRI',
      '5 4 * * 7',
      '0 0 31 * *',
      '0 12 * * sun',
      '@daily',
      ' 0  6 * * * ',
    ]) {
      expect(cronProblems(cron), cron).toEqual([]);
    }
  });

  it('says which field is wrong and why', () => {
    expect(cronProblems('0 6 * *')).toEqual([
      '"0 6 * *" has 4 fields; cron needs 5: minute hour day-of-month month day-of-week (or 6, with a leading second)',
    ]);
    expect(cronProblems('0 0 6 * * *')).toEqual([]);
    expect(cronProblems('0-59/10 * * * * *')).toEqual([]);
    expect(cronProblems('0/10 * * * * *')).toEqual([
      'second "0/10": a step needs a range: write */10 or 0-59/10 in "0/10 * * * * *"',
    ]);
    expect(cronProblems('60 * * * * *')).toEqual(['second 60 is out of range 0-59 in "60 * * * * *"']);
    expect(cronProblems('* * * * * * *')).toEqual([
      '"* * * * * * *" has 7 fields; cron needs 5: minute hour day-of-month month day-of-week (or 6, with a leading second)',
    ]);
    expect(cronProblems('')).toEqual([
      '"" has 0 fields; cron needs 5: minute hour day-of-month month day-of-week (or 6, with a leading second)',
    ]);
    expect(cronProblems('0 24 0 13 8')).toEqual([
      'hour 24 is out of range 0-23 in "0 24 0 13 8"',
      'day-of-month 0 is out of range 1-31 in "0 24 0 13 8"',
      'month 13 is out of range 1-12 in "0 24 0 13 8"',
      'day-of-week 8 is out of range 0-7 in "0 24 0 13 8"',
    ]);
    expect(cronProblems('1,,2 x */99 * FRI-MON')).toEqual([
      'minute has an empty list item in "1,,2 x */99 * FRI-MON"',
      'hour "x" is not a number in "1,,2 x */99 * FRI-MON"',
      'day-of-month step 99 is larger than the range 1-31 in "1,,2 x */99 * FRI-MON"',
      'day-of-week range FRI-MON runs backwards: write MON-FRI in "1,,2 x */99 * FRI-MON"',
    ]);
    expect(cronProblems('@fortnightly')).toEqual([
      'unknown cron macro "@fortnightly": use one of @yearly, @annually, @monthly, @weekly, @daily, @midnight, @hourly',
    ]);
  });

  it('normalizes macros and spacing to five fields', () => {
    expect(normalizeCron('@hourly')).toBe('0 * * * *');
    expect(normalizeCron('@WEEKLY')).toBe('0 0 * * 0');
    expect(normalizeCron('  0   6 * * 1 ')).toBe('0 6 * * 1');
  });
});
