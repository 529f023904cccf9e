import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compareVersions, isValidVersion } from './compare.js';
import { parseDpkgVersion } from './dpkg.js';
import { dpkgVersionArb } from './testing/arbitraries.js';
import { type ClaimedRelation, commandAvailable, dpkgRejected } from './testing/oracles.js';
import { ascendingViolations, equalityViolations } from './testing/ordering.js';

describe('dpkg versions (Debian Policy §5.6.12)', () => {
  it('sorts ~ before the end of a part, the end before letters, letters before other characters', () => {
    // The policy's own example: ~~, ~~a, ~, the empty part, a.
    expect(ascendingViolations('dpkg', ['1.0~~', '1.0~~a', '1.0~', '1.0', '1.0a'])).toEqual([]);
    expect(ascendingViolations('dpkg', ['1.0', '1.0A', '1.0a', '1.0+', '1.0.', '1.0.1'])).toEqual([]);
    expect(
      ascendingViolations('dpkg', ['1.0~rc1-1', '1.0-1', '1.0-1+b1', '1.0-1.1', '1.0-2~bpo1', '1.0-2']),
    ).toEqual([]);
  });

  it('compares epochs first, then digit runs numerically', () => {
    expect(ascendingViolations('dpkg', ['9.9-9', '1:0.1', '1:0.9', '1:0.10', '2:0'])).toEqual([]);
    expect(ascendingViolations('dpkg', ['1.2', '1.10', '1.100', '10.0'])).toEqual([]);
    expect(compareVersions('dpkg', '2.0', '10.0')).toBe(-1);
  });

  it('treats a missing epoch as 0, a missing revision as 0 and leading zeros as insignificant', () => {
    expect(equalityViolations('dpkg', ['1.0', '0:1.0', '00:1.0', '1.0-0', '1.00', '01.0', '1.0-00'])).toEqual(
      [],
    );
    expect(compareVersions('dpkg', '1.0-1', '1.0-1.0')).toBe(-1);
  });

  it('splits the revision at the last hyphen and the epoch at the first colon', () => {
    expect(parseDpkgVersion('1:2.3-rc1-4')).toEqual({ epoch: 1, upstream: '2.3-rc1', revision: '4' });
    expect(parseDpkgVersion('1:2:3-4')).toEqual({ epoch: 1, upstream: '2:3', revision: '4' });
    expect(parseDpkgVersion('2.36.3-1~deb10u1')).toEqual({
      epoch: 0,
      upstream: '2.36.3',
      revision: '1~deb10u1',
    });
  });

  it('accepts what dpkg accepts without a warning and rejects the rest', () => {
    for (const valid of [
      '0',
      '1:1:1',
      '1.0-1-1',
      '2147483647:1',
      '1.0~rc1-1',
      '01:1',
      '8:6.9.11.60+dfsg-1.5',
    ]) {
      expect(isValidVersion('dpkg', valid), valid).toBe(true);
    }
    const invalid = [
      '',
      ':1.0',
      '1:',
      'a1.0',
      '1.0-',
      '-1',
      '1.0 1',
      ' 1.0',
      '1.0@x',
      'x:1',
      '1.0-a:b',
      '2147483648:1',
    ];
    for (const bad of [...invalid, '1.0-1_2', '1.0-1-', '1:-1', '1.0é']) {
      expect(isValidVersion('dpkg', bad), bad).toBe(false);
    }
  });

  it('orders real Debian fixed versions (OSV DEBIAN-CVE/DSA records)', () => {
    // Each list: the fixed versions of one source package across Debian 10–12, in dpkg order.
    const lists = [
      [
        '1.1.1n-0+deb10u5',
        '1.1.1n-0+deb11u2',
        '1.1.1n-0+deb11u3',
        '1.1.1n-0+deb11u5',
        '1.1.1n-1',
        '1.1.1o-1',
        '3.0.4-1',
        '3.0.9-1',
      ],
      [
        '2.13.3-1',
        '2.15.0-1~deb10u1',
        '2.15.0-1~deb11u1',
        '2.15.0-1',
        '2.16.0-1~deb10u1',
        '2.17.1-1~deb11u1',
        '2.17.1-1',
      ],
      [
        '8:6.9.10.23+dfsg-2.1',
        '8:6.9.10.23+dfsg-2.1+deb10u1',
        '8:6.9.10.23+dfsg-2.1+deb10u5',
        '8:6.9.11.60+dfsg-1.3+deb11u1',
        '8:6.9.11.60+dfsg-1.5',
      ],
      [
        '1:9.16.12-1',
        '1:9.16.22-1~deb11u1',
        '1:9.16.42-1~deb11u1',
        '1:9.17.19-1',
        '1:9.18.1-1',
        '1:9.18.16-1~deb12u1',
      ],
      [
        '102.9.0esr-1~deb11u1',
        '102.9.0esr-1',
        '102.10.0esr-1~deb10u1',
        '102.10.0esr-1~deb11u1',
        '102.10.0esr-1',
      ],
      [
        '4.14.3+32-g9de3671772-1~deb11u1',
        '4.14.3+32-g9de3671772-1',
        '4.14.5+94-ge49571868d-1',
        '4.16.0+51-g0941d6cb-1',
        '4.16.1-1',
        '4.16.2-1',
        '4.16.2+90-g0d39a6d1ae-1',
      ],
      ['2.31-9', '2.31-10', '2.31-13', '2.31-13+deb11u3', '2.32-1', '2.33-4'],
    ];
    for (const list of lists) expect(ascendingViolations('dpkg', list)).toEqual([]);
  });

  it('decides CVE-2022-0778 on Debian 11 (fixed in openssl 1.1.1k-1+deb11u2)', () => {
    const fixed = '1.1.1k-1+deb11u2';
    expect(compareVersions('dpkg', '1.1.1k-1', fixed)).toBe(-1);
    expect(compareVersions('dpkg', '1.1.1k-1+deb11u1', fixed)).toBe(-1);
    expect(compareVersions('dpkg', '1.1.1n-0+deb11u3', fixed)).toBe(1);
  });
});

const dpkgPresent = commandAvailable('dpkg');

describe.runIf(dpkgPresent || process.env.CI)('dpkg ordering against dpkg --compare-versions', () => {
  it('agrees with dpkg on every adjacent pair of 1,000 generated versions sorted by Airlock', async () => {
    // Sorting with our comparator and having dpkg confirm each neighbour (strictly less or
    // equal, as we claim) checks our order against dpkg's on every pair of the sample.
    const seed = Date.now();
    const versions = [...new Set(fc.sample(dpkgVersionArb, { numRuns: 1000, seed }))];
    versions.sort((a, b) => compareVersions('dpkg', a, b));
    const claims: ClaimedRelation[] = versions.slice(1).map((b, i) => {
      const a = versions[i]!;
      return { a, op: compareVersions('dpkg', a, b) === 0 ? 'eq' : 'lt', b };
    });
    expect(await dpkgRejected(claims), `seed ${seed}`).toEqual([]);
  });
});

if (!dpkgPresent && !process.env.CI) console.warn('dpkg is not installed: skipping the dpkg oracle test');
