import { describe, expect, it } from 'vitest';
import { compareVersions, isValidVersion } from './compare.js';
import { ascendingViolations } from './testing/ordering.js';

describe('apk versions', () => {
  // Expected results from apk-tools' own `apk_version_compare` (src/version.c).
  const cases: [string, string, number][] = [
    ['1.0', '1.0', 0],
    ['1.0', '1.0.0', -1],
    ['1.0', '1.0-r0', -1],
    ['1.0-r0', '1.0-r1', -1],
    ['1.0-r9', '1.0-r10', -1],
    ['1.0_rc1', '1.0', -1],
    ['1.0_alpha', '1.0_beta', -1],
    ['1.0_beta', '1.0_pre', -1],
    ['1.0_pre', '1.0_rc', -1],
    ['1.0_rc', '1.0_rc1', -1],
    ['1.0_rc9', '1.0_rc10', -1],
    ['1.0', '1.0_cvs', -1],
    ['1.0_cvs', '1.0_svn', -1],
    ['1.0_svn', '1.0_git', -1],
    ['1.0_git', '1.0_hg', -1],
    ['1.0_hg', '1.0_p', -1],
    ['1.0_p', '1.0_p1', -1],
    ['1.0_p1', '1.0-r1', 1],
    ['1.0_p1-r0', '1.0.1', -1],
    ['1.0a', '1.0', 1],
    ['1.0a', '1.0b', -1],
    ['1.0z', '1.0.1', -1],
    ['1.0', '1.0a', -1],
    ['1.02', '1.1', -1],
    ['1.02', '1.2', -1],
    ['1.1', '1.10', -1],
    ['1.01', '1.001', 1],
    ['1.010', '1.01', 1],
    ['1.0', '1.00', -1],
    ['1.00', '1.000', -1],
    ['01', '1', 0],
    ['1.2.3', '1.2.3_alpha', 1],
    ['1.2.3_alpha', '1.2.3_alpha1', -1],
    ['1.2.3_rc1_p1', '1.2.3_rc1', 1],
    ['1.2.3_rc1_p1', '1.2.3_rc2', -1],
    ['1.2.3_p1_rc1', '1.2.3_p1', -1],
    ['1.2_git20240101', '1.2_git20240102', -1],
    ['1.2~abc', '1.2', 1],
    ['1.2~abc', '1.2~abd', -1],
    ['1.2~abc-r1', '1.2-r1', 1],
    ['1.2~ab', '1.2~abc', -1],
    ['1.2~abc', '1.2.1', -1],
    ['1.2_rc1~ab', '1.2_rc1', 1],
    ['20240101', '20240102', -1],
    ['2024.01', '2024.1', -1],
    ['8.402.06', '8.402.10', -1],
    ['8.402.06', '8.402.6', -1],
    ['10.02.0', '10.3.1', -1],
    ['3.99.5', '3.100', -1],
    ['6.1_p20180414', '6.1', 1],
    ['1.36.1-r29', '1.36.1-r3', 1],
    ['9.0.0999', '9.0.1167', -1],
  ];

  it.each(cases)('compare(%s, %s) = %i, and reversed the opposite', (a, b, expected) => {
    expect(compareVersions('apk', a, b)).toBe(expected);
    expect(compareVersions('apk', b, a)).toBe(-expected || 0);
  });

  it('accepts the apk-tools grammar and nothing else', () => {
    for (const good of [
      '0',
      '1.2.3-r0',
      '1.2.3a',
      '1.2.3_rc1_p2-r10',
      '1.2_git20240101~abc123-r1',
      '6.1_p20180414-r0',
      '01.002',
    ]) {
      expect(isValidVersion('apk', good), good).toBe(true);
    }
    const bad = [
      '',
      'a1',
      '1.',
      '1..2',
      '1.0a1',
      '1.0ab',
      '1.0-r',
      '1.0-1',
      '1.0_foo',
      '1.0_',
      '1.0~',
      '1.0~xyz',
    ];
    for (const version of [...bad, '1.0-r1-r2', '1.0_rc1.1', '1.0A', '1.0 ', '1.9.5p2-r0', 'v1.0']) {
      expect(isValidVersion('apk', version), version).toBe(false);
    }
  });

  it('orders real Alpine fixed versions (OSV ALPINE records from secdb)', () => {
    const lists = [
      [
        '1.33.0-r5',
        '1.34.0-r0',
        '1.35.0-r7',
        '1.35.0-r17',
        '1.36.1-r1',
        '1.36.1-r2',
        '1.36.1-r16',
        '1.36.1-r29',
      ],
      [
        '8.242.08-r0',
        '8.252.09-r0',
        '8.302.08-r0',
        '8.312.07-r0',
        '8.402.06-r0',
        '8.422.05-r0',
        '8.432.06-r0',
      ],
      [
        '9.25-r0',
        '9.25-r1',
        '9.26-r0',
        '9.27-r4',
        '9.50-r0',
        '9.54-r1',
        '10.02.0-r0',
        '10.03.1-r0',
        '10.04.0-r0',
      ],
      ['1.8.20_p2-r0', '1.8.28-r0', '1.9.5-r0', '1.9.5_p2-r0', '1.9.12_p2-r0'],
      ['8.2.0_rc5-r0', '8.2.1-r0', '8.2.3-r0', '8.2.18-r0', '8.2.24-r0'],
      ['9.0.0999-r0', '9.0.1167-r0', '9.0.2127-r0', '9.1.0652-r0', '9.1.0707-r0'],
      ['3.1.4-r3', '3.1.4-r6', '3.1.5-r0', '3.1.7-r1', '3.2.1-r2', '3.3.0-r2', '3.3.2-r1'],
    ];
    for (const list of lists) expect(ascendingViolations('apk', list)).toEqual([]);
  });

  it('decides CVE-2024-3094 on Alpine v3.20 (xz fixed in 5.6.1-r2)', () => {
    expect(compareVersions('apk', '5.6.1-r1', '5.6.1-r2')).toBe(-1);
    expect(compareVersions('apk', '5.6.1-r2', '5.6.1-r2')).toBe(0);
    expect(compareVersions('apk', '5.6.2-r0', '5.6.1-r2')).toBe(1);
  });
});
