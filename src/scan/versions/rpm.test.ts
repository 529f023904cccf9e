import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compareVersions, isValidVersion } from './compare.js';
import { parseRpmVersion, rpmvercmp } from './rpm.js';
import { rpmVersionArb } from './testing/arbitraries.js';
import { commandAvailable, rpmVercmp } from './testing/oracles.js';
import { ascendingViolations, equalityViolations } from './testing/ordering.js';

describe('rpmvercmp', () => {
  // rpm's own test table (tests/rpmvercmp.at, rpm 4.18).
  const cases: [string, string, number][] = [
    ['1.0', '1.0', 0],
    ['1.0', '2.0', -1],
    ['2.0.1', '2.0', 1],
    ['2.0.1a', '2.0.1', 1],
    ['5.5p1', '5.5p10', -1],
    ['10xyz', '10.1xyz', -1],
    ['xyz10', 'xyz10.1', -1],
    ['xyz.4', '8', -1],
    ['xyz.4', '2', -1],
    ['5.5p2', '5.6p1', -1],
    ['6.0.rc1', '6.0', 1],
    ['10b2', '10a1', 1],
    ['1.0a', '1.0aa', -1],
    ['10.0001', '10.1', 0],
    ['10.0001', '10.0039', -1],
    ['4.999.9', '5.0', -1],
    ['20101121', '20101122', -1],
    ['2_0', '2.0', 0],
    ['a+', 'a_', 0],
    ['+a', '_a', 0],
    ['_+', '+_', 0],
    ['+', '_', 0],
    ['1.0~rc1', '1.0', -1],
    ['1.0~rc1', '1.0~rc2', -1],
    ['1.0~rc1~git123', '1.0~rc1', -1],
    ['1.0^', '1.0', 1],
    ['1.0^git1', '1.0', 1],
    ['1.0^git1', '1.0^git2', -1],
    ['1.0^git1', '1.01', -1],
    ['1.0^20160101', '1.0.1', -1],
    ['1.0^20160102', '1.0^20160101^git1', 1],
    ['1.0~rc1^git1', '1.0~rc1', 1],
    ['1.0^git1', '1.0^git1~pre', 1],
  ];

  it.each(cases)('rpmvercmp(%s, %s) = %i, and reversed the opposite', (a, b, expected) => {
    expect(rpmvercmp(a, b)).toBe(expected);
    expect(rpmvercmp(b, a)).toBe(-expected || 0);
  });
});

describe('rpm EVR ordering', () => {
  it('compares epoch, then version, then release; a missing epoch is 0', () => {
    expect(ascendingViolations('rpm', ['1.0-1', '1.0-2', '1.1-1', '1:0.1-1', '2:0-0'])).toEqual([]);
    expect(equalityViolations('rpm', ['1.0-1', '0:1.0-1', '00:1.0-1', '1.00-1', '1_0-1'])).toEqual([]);
  });

  it('sorts a missing release before any release, as rpm.vercmp does', () => {
    expect(ascendingViolations('rpm', ['1.0', '1.0-0', '1.0-1', '1.0.1'])).toEqual([]);
  });

  it('splits like rpmverParse: epoch before the colon, release after the last hyphen', () => {
    expect(parseRpmVersion('2:9.1.083-6.el10_1.3')).toEqual({
      epoch: '2',
      version: '9.1.083',
      release: '6.el10_1.3',
    });
    expect(parseRpmVersion('1.2-3-4')).toEqual({ epoch: '0', version: '1.2-3', release: '4' });
    expect(parseRpmVersion('6.12.0')).toEqual({ epoch: '0', version: '6.12.0', release: undefined });
  });

  it('rejects what rpm cannot have been given', () => {
    for (const bad of ['', ':1.0', '1.0-', '-1', '1:', '1:2:3', '1.0-1:2', '1.0 1', 'é']) {
      expect(isValidVersion('rpm', bad), bad).toBe(false);
    }
    for (const good of ['0', 'a', '1:1.0', '1.0-1', '1.0~rc1-0.1.el9', '1.0^git1']) {
      expect(isValidVersion('rpm', good), good).toBe(true);
    }
  });

  it('orders real AlmaLinux fixed versions (OSV ALSA records)', () => {
    const lists = [
      [
        '6.12.0-211.32.1.el10_2',
        '6.12.0-211.33.1.el10_2',
        '6.12.0-211.39.1.el10_2',
        '6.12.0-211.40.1.el10_2',
      ],
      [
        '1:21.0.10.0.7-1.el8',
        '1:21.0.10.0.7-1.el9.alma.1',
        '1:21.0.10.0.7-1.el10.alma.1',
        '1:21.0.11.0.10-1.el8',
        '1:21.0.12.1.1-1.2.el10.alma.1',
      ],
      ['140.4.0-2.el10_0.alma.1', '140.5.0-2.el10_1', '140.6.0-1.el10_1.alma.1', '140.10.1-1.el10_2.alma.1'],
      ['32:9.18.33-10.el10_1.2', '32:9.18.33-15.el10_2.2', '32:9.18.33-15.el10_2.10'],
      ['2:1.6.40-8.el10_1.1', '2:1.6.40-8.el10_1.4', '2:1.6.40-11.el10_2.1'],
      ['1:3.5.1-4.el10_1.alma.1', '1:3.5.1-7.el10_1.alma.1', '1:3.5.5-2.el10_2.alma.1'],
    ];
    for (const list of lists) expect(ascendingViolations('rpm', list)).toEqual([]);
  });
});

const rpmPresent = commandAvailable('rpm');

describe.runIf(rpmPresent || process.env.CI)('rpm ordering against rpm.vercmp', () => {
  it('agrees with rpm on 10,000 generated pairs', async () => {
    const seed = Date.now();
    const pairs = fc.sample(fc.tuple(rpmVersionArb, rpmVersionArb), { numRuns: 10000, seed });
    const expected = await rpmVercmp(pairs);
    expect(expected).toHaveLength(pairs.length);
    const disagreements = pairs
      .map(([a, b], i) => ({ a, b, rpm: expected[i], airlock: compareVersions('rpm', a, b) }))
      .filter((d) => d.rpm !== d.airlock);
    expect(disagreements, `seed ${seed}`).toEqual([]);
  });

  it('agrees with rpm on every adjacent pair of 3,000 generated EVRs sorted by Airlock', async () => {
    const seed = Date.now();
    const versions = [...new Set(fc.sample(rpmVersionArb, { numRuns: 3000, seed }))];
    versions.sort((a, b) => compareVersions('rpm', a, b));
    const pairs = versions.slice(1).map((b, i) => [versions[i]!, b] as const);
    const expected = await rpmVercmp(pairs);
    const disagreements = pairs.filter(([a, b], i) => expected[i] !== compareVersions('rpm', a, b));
    expect(disagreements, `seed ${seed}`).toEqual([]);
  });
});

if (!rpmPresent && !process.env.CI)
  console.warn('rpm is not installed: skipping the rpm.vercmp oracle tests');
