import fc from 'fast-check';
import nodeSemver from 'semver';
import { describe, expect, it } from 'vitest';
import { compareVersions, isValidVersion } from './compare.js';
import { strictSemverArb } from './testing/arbitraries.js';
import { ascendingViolations, equalityViolations } from './testing/ordering.js';

describe('semver precedence (Semantic Versioning 2.0.0 §11)', () => {
  it('orders the specification examples', () => {
    expect(ascendingViolations('semver', ['1.0.0', '2.0.0', '2.1.0', '2.1.1'])).toEqual([]);
    const prereleases = ['1.0.0-alpha', '1.0.0-alpha.1', '1.0.0-alpha.beta', '1.0.0-beta', '1.0.0-beta.2'];
    expect(ascendingViolations('semver', [...prereleases, '1.0.0-beta.11', '1.0.0-rc.1', '1.0.0'])).toEqual(
      [],
    );
  });

  it('compares numeric identifiers numerically at any size and before alphanumeric ones', () => {
    expect(
      ascendingViolations('semver', [
        '1.0.0-2',
        '1.0.0-10',
        '1.0.0-99999999999999999999',
        '1.0.0-1a',
        '1.0.0-a',
      ]),
    ).toEqual([]);
    expect(compareVersions('semver', '99999999999999999999.0.0', '100000000000000000000.0.0')).toBe(-1);
    expect(ascendingViolations('semver', ['1.0.0-A', '1.0.0-Z', '1.0.0-a', '1.0.0-a-b', '1.0.0-ab'])).toEqual(
      [],
    );
  });

  it('ignores build metadata, including Go +incompatible', () => {
    expect(equalityViolations('semver', ['1.0.0', '1.0.0+a', '1.0.0+b.2', 'v1.0.0+incompatible'])).toEqual(
      [],
    );
    expect(equalityViolations('semver', ['20.10.0+incompatible', 'v20.10.0'])).toEqual([]);
  });

  it('reads versions as osv.dev coerces them: v prefix, missing parts, leading zeros, empty identifiers', () => {
    expect(equalityViolations('semver', ['1.2', '1.2.0', 'v1.2.0', '01.02.0', '1.2.00'])).toEqual([]);
    expect(equalityViolations('semver', ['1', '1.0.0', 'v1'])).toEqual([]);
    expect(equalityViolations('semver', ['1.0.0-rc.01', '1.0.0-rc.1'])).toEqual([]);
    expect(equalityViolations('semver', ['1.0.0-a..b', '1.0.0-a.-.b'])).toEqual([]);
  });

  it('rejects what is not semver even after coercion', () => {
    const bad = [
      '',
      'v',
      'V1.0.0',
      ' 1.0.0',
      '1.2.3.4',
      '1.x',
      'x1.0',
      '1..0',
      '1.0.',
      '-1.0.0',
      '1.0.0-beta_1',
    ];
    for (const version of [...bad, '1.0.0+a+b', '1.0.0-é', 'go1.21', 'vv1.0.0']) {
      expect(isValidVersion('semver', version), version).toBe(false);
    }
  });

  it('orders real Go module versions (OSV GO records): pseudo-versions, pre-releases, +incompatible', () => {
    const lists = [
      [
        '0.0.0-20180816102801-aaf60122140d',
        '0.0.0-20190125002852-4b62a64f59f7',
        '0.0.0-20220906165146-f3363e06e74c',
        '0.1.1-0.20221104162952-702349b0e862',
        '0.4.0',
        '0.13.0',
        '0.56.0',
      ],
      [
        '1.0.0-rc3',
        '1.0.0-rc8.0.20190930145003-cad42f6e0932',
        '1.0.0-rc9.0.20200122160610-2fc03cc11c77',
        '1.0.0-rc91',
        '1.0.0-rc95',
        '1.0.1-0.20211012131345-9c444070ec7b',
        '1.1.0',
        '1.2.0-rc.1',
        '1.2.0-rc.3',
        '1.2.8',
      ],
      [
        '20.10.0-beta1+incompatible',
        '20.10.0+incompatible',
        '20.10.9+incompatible',
        '20.10.11+incompatible',
        '26.0.0-rc1+incompatible',
        '26.0.0',
      ],
      ['1.20.0-0', '1.20.0-rc.1', '1.20.10', '1.21.0-0', '1.21.3'],
      ['v0.0.0-20170330155735-e4e2799dd7aa', 'v0.0.0-20220314234659-1baeb1ce4c0b', 'v0.17.0', 'v0.31.0'],
    ];
    for (const list of lists) expect(ascendingViolations('semver', list)).toEqual([]);
  });

  it('orders real crates.io and npm versions (OSV RUSTSEC and MAL records)', () => {
    expect(ascendingViolations('semver', ['0.0.0-0', '111.18.0', '300.0.0', '300.0.5', '300.0.10'])).toEqual(
      [],
    );
    expect(
      ascendingViolations('semver', ['0.104.0-alpha.1', '0.104.0-alpha.6', '0.104.0-alpha.7', '0.104.0']),
    ).toEqual([]);
    expect(
      ascendingViolations('semver', [
        '0.9.4-ea.28',
        '0.9.4',
        '10.0.0-master.3',
        '10.0.0-master.3.2',
        '10.0.0',
      ]),
    ).toEqual([]);
  });

  it('agrees with node-semver on strict semver 2.0.0 versions', () => {
    fc.assert(
      fc.property(
        strictSemverArb,
        strictSemverArb,
        (a, b) => compareVersions('semver', a, b) === nodeSemver.compare(a, b),
      ),
      { numRuns: 3000 },
    );
  });
});
