import { describe, expect, it } from 'vitest';
import { compareVersions, isValidVersion } from './compare.js';
import { ascendingViolations, equalityViolations } from './testing/ordering.js';

// Cases from NuGet.Client's VersionComparerTests (NuGet.Versioning).
describe('NuGet versions', () => {
  it('treats case, metadata, missing and zero parts and leading zeros as equal', () => {
    const groups = [
      ['1.0.0', '1.0.0+beta', '1.0', '1.0.0.0', '1.0+test', '1'],
      ['1.0.0-BETA', '1.0.0-beta', '1.0.0-Beta+AA'],
      ['1.0.0-BETA.X.y.5.77.0+AA', '1.0.0-beta.x.y.5.77.0+aa'],
      ['1.0.0.1-1.2.A', '1.0.0.1-1.2.a+A'],
      ['1.0.01', '1.0.1.0'],
    ];
    for (const group of groups) expect(equalityViolations('nuget', group)).toEqual([]);
  });

  it('orders the comparer test pairs', () => {
    const pairs = [
      ['0.0.0', '1.0.0'],
      ['1.0.0', '1.1.0'],
      ['1.0.0', '1.0.1'],
      ['1.999.9999', '2.1.1'],
      ['1.0.0-BETA', '1.0.0-beta2'],
      ['1.0.0-beta+AA', '1.0.0+aa'],
      ['1.0.0-BETA', '1.0.0-beta.1+AA'],
      ['1.0.0-BETA.X.y.5.77.0+AA', '1.0.0-beta.x.y.5.79.0+aa'],
      ['1.0.0-BETA.X.y.5.79.0+AA', '1.0.0-beta.x.y.5.790.0+abc'],
      ['1.0', '1.0.0.1'],
      ['1.0.0.1-1.2.A', '1.0.0.1-1.2.a.A+A'],
    ];
    for (const pair of pairs) expect(ascendingViolations('nuget', pair)).toEqual([]);
  });

  it('compares labels that parse as integers numerically and before other labels', () => {
    expect(
      ascendingViolations('nuget', ['1.0.0--1', '1.0.0-0', '1.0.0-2', '1.0.0-10', '1.0.0-a', '1.0.0-b']),
    ).toEqual([]);
    // Beyond Int32 a label is text again.
    expect(compareVersions('nuget', '1.0.0-2147483648', '1.0.0-3')).toBe(1);
  });

  it('rejects what NuGetVersion.TryParse rejects', () => {
    for (const good of ['1', '1.2.3.4', ' 1.0.0 ', '01.02', '1.0.0-rc-1', '1.0.0+01']) {
      expect(isValidVersion('nuget', good), good).toBe(true);
    }
    const bad = [
      '',
      '1.2.3.4.5',
      'v1.0.0',
      '1.0.',
      '.1',
      '1..0',
      '1.0.0-',
      '1.0.0+',
      '1.0.0-01',
      '1.0.0-a..b',
      '1.0.0-a_b',
    ];
    for (const version of [...bad, '2147483648.0', '1.0.0+a+b', '1.0 .0', 'a.b']) {
      expect(isValidVersion('nuget', version), version).toBe(false);
    }
  });

  it('decides a range against pre-release and four-part installed versions', () => {
    expect(compareVersions('nuget', '4.5.0', '4.5.1')).toBe(-1);
    expect(compareVersions('nuget', '4.5.1-preview1-26216-02', '4.5.1')).toBe(-1);
    expect(compareVersions('nuget', '4.5.1.0', '4.5.1')).toBe(0);
    expect(compareVersions('nuget', '4.5.1.1', '4.5.1')).toBe(1);
  });
});
