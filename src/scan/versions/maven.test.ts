import { describe, expect, it } from 'vitest';
import { compareVersions, isValidVersion } from './compare.js';
import { ascendingViolations, equalityViolations } from './testing/ordering.js';

// Cases from Maven 3.9's ComparableVersionTest, ported as they are.
describe('Maven ComparableVersion', () => {
  it('orders qualifiers (VERSIONS_QUALIFIER)', () => {
    const versions = [
      '1-alpha2snapshot',
      '1-alpha2',
      '1-alpha-123',
      '1-beta-2',
      '1-beta123',
      '1-m2',
      '1-m11',
      '1-rc',
      '1-cr2',
    ];
    const more = [
      '1-rc123',
      '1-SNAPSHOT',
      '1',
      '1-sp',
      '1-sp2',
      '1-sp123',
      '1-abc',
      '1-def',
      '1-pom-1',
      '1-1-snapshot',
      '1-1',
      '1-2',
      '1-123',
    ];
    expect(ascendingViolations('maven', [...versions, ...more])).toEqual([]);
  });

  it('orders numbers (VERSIONS_NUMBER)', () => {
    const versions = [
      '2.0',
      '2.0.a',
      '2-1',
      '2.0.2',
      '2.0.123',
      '2.1.0',
      '2.1-a',
      '2.1b',
      '2.1-c',
      '2.1-1',
      '2.1.0.1',
      '2.2',
    ];
    const more = [
      '2.123',
      '11.a2',
      '11.a11',
      '11.b2',
      '11.b11',
      '11.m2',
      '11.m11',
      '11',
      '11.a',
      '11b',
      '11c',
      '11m',
    ];
    expect(ascendingViolations('maven', [...versions, ...more])).toEqual([]);
  });

  it('treats trailing zeros, aliases, short qualifiers and case as equal (testVersionsEqual)', () => {
    const groups = [
      [
        '1',
        '1.0',
        '1.0.0',
        '1-0',
        '1.0-0',
        '1ga',
        '1release',
        '1final',
        '1Ga',
        '1GA',
        '1RELEASE',
        '1RELeaSE',
        '1FinaL',
      ],
      ['1a', '1-a', '1.0-a', '1.0.0-a', '1.0a', '1.0.0a', '1A'],
      ['1x', '1-x', '1.0-x', '1.0.0-x', '1.0x', '1.0.0x', '1X'],
      ['1cr', '1rc', '1Cr', '1Rc', '1cR', '1rC'],
      ['1a1', '1-alpha-1'],
      ['1b2', '1-beta-2'],
      ['1m3', '1-milestone-3', '1Milestone3', '1MileStone3', '1MILESTONE3'],
      ['1-abcdefghijklmnopqrstuvwxyz', '1-ABCDEFGHIJKLMNOPQRSTUVWXYZ'],
    ];
    for (const group of groups) expect(equalityViolations('maven', group)).toEqual([]);
  });

  it('orders the testVersionComparing pairs', () => {
    const pairs = [
      ['1', '2'],
      ['1.5', '2'],
      ['1', '2.5'],
      ['1.0.1', '1.1'],
      ['1.1', '1.2.0'],
      ['1.0-alpha-1', '1.0'],
      ['1.0-alpha-1', '1.0-beta-1'],
      ['1.0-beta-1', '1.0-SNAPSHOT'],
      ['1.0-SNAPSHOT', '1.0'],
      ['1.0-alpha-1-SNAPSHOT', '1.0-alpha-1'],
      ['1.0', '1.0-1'],
      ['1.0.0', '1.0-1'],
      ['2.0-1', '2.0.1'],
      ['2.0.1-klm', '2.0.1-lmn'],
      ['2.0.1', '2.0.1-xyz'],
      ['2.0.1', '2.0.1-123'],
      ['2.0.1-xyz', '2.0.1-123'],
    ];
    for (const pair of pairs) expect(ascendingViolations('maven', pair)).toEqual([]);
  });

  it('keeps the MNG-5568, MNG-6572 and MNG-6964 orders transitive', () => {
    expect(ascendingViolations('maven', ['6.1.0rc3', '6.1.0', '6.1H.5-beta'])).toEqual([]);
    const long = [
      '20190126.230843',
      '1234567890.12345',
      '123456789012345.1H.5-beta',
      '12345678901234567890.1H.5-beta',
    ];
    expect(ascendingViolations('maven', long)).toEqual([]);
    expect(ascendingViolations('maven', ['1-0.alpha', '1-0.beta', '1'])).toEqual([]);
  });

  it('ignores leading zeros at any length (MNG-6572)', () => {
    const ones = Array.from({ length: 19 }, (_, i) => `${'0'.repeat(i)}1`);
    const zeros = Array.from({ length: 19 }, (_, i) => '0'.repeat(i + 1));
    expect(equalityViolations('maven', ones)).toEqual([]);
    expect(equalityViolations('maven', zeros)).toEqual([]);
  });

  it('reads .X1 like -X1 for any qualifier X (MNG-7644)', () => {
    for (const x of ['abc', 'alpha', 'a', 'beta', 'b', 'def', 'milestone', 'm', 'RC']) {
      expect(ascendingViolations('maven', [`1.0.0.${x}1`, `1.0.0-${x}2`])).toEqual([]);
      expect(equalityViolations('maven', [`2-${x}`, `2.0.${x}`, `2.0.0.${x}`])).toEqual([]);
    }
  });
});

describe('Maven versions seen in the wild', () => {
  // Expected results from Maven 3.9's ComparableVersion.
  const cases: [string, string, number][] = [
    ['1.0.0.RC1', '1.0.0-RC2', -1],
    ['1.0-RC1', '1.0.RC1', 0],
    ['1-sp', '1-1', -1],
    ['1-1', '1.1', -1],
    ['1.0-SNAPSHOT', '1.0', -1],
    ['1.0-alpha-1', '1.0-alpha1', 0],
    ['1.0-a1', '1.0-alpha-1', 0],
    ['1.0a1', '1.0-alpha-1', 0],
    ['2.0.0.Final', '2.0.0', 0],
    ['2.0.0.GA', '2.0.0.Final', 0],
    ['5.3.0.RELEASE', '5.3.0', 0],
    ['5.3.0.M1', '5.3.0.RC1', -1],
    ['5.3.0.RC1', '5.3.0.BUILD-SNAPSHOT', -1],
    ['1.0.0.CR1', '1.0.0.RC1', 0],
    ['1.0-foo', '1.0-sp', 1],
    ['1.0-foo', '1.0-bar', 1],
    ['1.0.0', '1.0.0.0.0.1', -1],
    ['1.0.0-0', '1.0', 0],
    ['2.17.1', '2.15.0', 1],
    ['2.15.0-rc1', '2.15.0', -1],
    ['2.15.0-rc2', '2.15.0-rc10', -1],
    ['9.4.50.v20221201', '9.4.51.v20230217', -1],
    ['9.4.50.v20221201', '9.4.50', 1],
    ['1.2.3-jre', '1.2.3-android', 1],
    ['31.1-jre', '32.0.0-android', -1],
    ['1.0-20190126.230843-1', '1.0-SNAPSHOT', 1],
    ['1.0.0.Beta2', '1.0.0.Alpha10', 1],
    ['3.0.0-M5', '3.0.0-M10', -1],
    ['1_0', '1.0', 1],
    ['1.0-1', '1.0.1', -1],
    ['1.0.0-beta.2', '1.0.0-beta.11', -1],
  ];

  it.each(cases)('compare(%s, %s) = %i, and reversed the opposite', (a, b, expected) => {
    expect(compareVersions('maven', a, b)).toBe(expected);
    expect(compareVersions('maven', b, a)).toBe(-expected || 0);
  });

  it('decides CVE-2021-44228 (log4j-core fixed in 2.15.0, introduced in 2.0-beta9)', () => {
    expect(compareVersions('maven', '2.0-beta9', '2.0')).toBe(-1);
    expect(compareVersions('maven', '2.14.1', '2.15.0')).toBe(-1);
    expect(compareVersions('maven', '2.15.0', '2.15.0')).toBe(0);
    expect(compareVersions('maven', '2.0-beta8', '2.0-beta9')).toBe(-1);
  });

  it('accepts any non-empty printable text', () => {
    expect(isValidVersion('maven', 'anything-goes.1')).toBe(true);
    for (const bad of ['', '1.0 final', '1.0\t', 'é']) expect(isValidVersion('maven', bad), bad).toBe(false);
  });

  it('reproduces the intransitive orders of Maven itself on unusual versions', () => {
    // Each triple as ComparableVersion 3.9 orders it: a < b and b < c, yet a > c.
    const triples = [
      ['1-ga-M10', '1', '1-android'],
      ['1.0-1', '1.0.milestone-1', '1'],
      ['1.sp-SNAPSHOT', '1.beta', '1-'],
    ];
    for (const [a, b, c] of triples as [string, string, string][]) {
      expect([
        compareVersions('maven', a, b),
        compareVersions('maven', b, c),
        compareVersions('maven', a, c),
      ]).toEqual([-1, -1, 1]);
    }
  });
});
