import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../kernel/index.js';
import {
  VERSION_SCHEMES,
  type ParsedVersion,
  type VersionScheme,
  compareParsed,
  compareVersions,
  isValidVersion,
  isVersionScheme,
  parseVersion,
} from './index.js';
import { anyVersionTextArb, conventionalMavenVersionArb, versionArbs } from './testing/arbitraries.js';

/** Maven's own ComparableVersion is not transitive on arbitrary strings (see maven.test.ts). */
function transitiveTextArb(scheme: VersionScheme): fc.Arbitrary<string> {
  return scheme === 'maven' ? conventionalMavenVersionArb : anyVersionTextArb(scheme);
}

const RUNS = { numRuns: 600 };

describe.each(VERSION_SCHEMES)('%s: the comparison API', (scheme) => {
  const cmp = (a: string, b: string): number => compareVersions(scheme, a, b);

  it('never throws, answers -1, 0 or 1, and is antisymmetric on any text', () => {
    fc.assert(
      fc.property(anyVersionTextArb(scheme), anyVersionTextArb(scheme), (a, b) => {
        const forward = cmp(a, b);
        return (
          (forward === -1 || forward === 0 || forward === 1) && forward + cmp(b, a) === 0 && cmp(a, a) === 0
        );
      }),
      RUNS,
    );
  });

  it('is transitive on generated versions', () => {
    const arb = scheme === 'maven' ? conventionalMavenVersionArb : versionArbs[scheme];
    fc.assert(
      fc.property(arb, arb, arb, (a, b, c) => {
        const [x, y, z] = [a, b, c].sort(cmp) as [string, string, string];
        const consistentEqual = cmp(x, y) !== 0 || cmp(y, z) !== 0 || cmp(x, z) === 0;
        return cmp(x, y) <= 0 && cmp(y, z) <= 0 && cmp(x, z) <= 0 && consistentEqual;
      }),
      { numRuns: 2000 },
    );
  });

  it('is transitive, invalid versions included', () => {
    const arb = transitiveTextArb(scheme);
    fc.assert(
      fc.property(arb, arb, arb, (a, b, c) => {
        const [x, y, z] = [a, b, c].sort(cmp) as [string, string, string];
        const consistentEqual = cmp(x, y) !== 0 || cmp(y, z) !== 0 || cmp(x, z) === 0;
        return cmp(x, z) <= 0 && consistentEqual;
      }),
      RUNS,
    );
  });

  it('sorts invalid text before valid versions and orders invalid text by code unit', () => {
    fc.assert(
      fc.property(anyVersionTextArb(scheme), anyVersionTextArb(scheme), (a, b) => {
        const validA = isValidVersion(scheme, a);
        const validB = isValidVersion(scheme, b);
        if (validA !== validB) return cmp(a, b) === (validA ? 1 : -1);
        if (!validA) return cmp(a, b) === (a < b ? -1 : a > b ? 1 : 0);
        return true;
      }),
      RUNS,
    );
  });

  it('parses once to the same answers as compareVersions', () => {
    fc.assert(
      fc.property(versionArbs[scheme], versionArbs[scheme], (a, b) => {
        const x = parseVersion(scheme, a);
        const y = parseVersion(scheme, b);
        if (x === undefined || y === undefined) return false;
        return x.scheme === scheme && x.text === a && y.text === b && compareParsed(x, y) === cmp(a, b);
      }),
      RUNS,
    );
  });

  it('parses exactly the valid versions', () => {
    fc.assert(
      fc.property(
        anyVersionTextArb(scheme),
        (text) => (parseVersion(scheme, text) !== undefined) === isValidVersion(scheme, text),
      ),
      RUNS,
    );
  });
});

describe('comparison API misuse', () => {
  it('refuses to compare versions parsed with different schemes', () => {
    const deb = parseVersion('dpkg', '1.0-1')!;
    const rpm = parseVersion('rpm', '1.0-1')!;
    expect(() => compareParsed(deb, rpm)).toThrow(AppError);
    expect(() => compareParsed(deb, rpm)).toThrow(/"1\.0-1" \(dpkg\) with "1\.0-1" \(rpm\)/);
  });

  it('refuses values that parseVersion did not make', () => {
    const forged: ParsedVersion = { scheme: 'dpkg', text: '1.0' };
    expect(() => compareParsed(forged, forged)).toThrow(AppError);
  });

  it('names an unknown scheme', () => {
    expect(() => compareVersions('cargo' as VersionScheme, '1', '2')).toThrow(
      /unknown version scheme "cargo"/,
    );
    expect(isVersionScheme('cargo')).toBe(false);
    expect(isVersionScheme('toString')).toBe(false);
    expect(VERSION_SCHEMES.every(isVersionScheme)).toBe(true);
  });
});
