import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compareVersions, parseVersion } from '../versions/index.js';
import type { OsvEvent, OsvRange } from './osv.js';
import { type RangeVerdict, VersionCache, compileRanges, evaluateRange } from './range-eval.js';

/** Evaluates ranges the way matching does: affected when any range says so, with its fix. */
function evaluate(ranges: OsvRange[], ecosystem: string, version: string): RangeVerdict | 'undecidable' {
  const compiled = compileRanges(ranges, ecosystem, new VersionCache());
  if (!compiled.ok) return 'undecidable';
  for (const range of compiled.ranges) {
    const parsed = parseVersion(range.scheme, version);
    if (!parsed) return 'undecidable';
    const verdict = evaluateRange(range, parsed);
    if (verdict.affected === true) return verdict;
  }
  return { affected: false };
}

const semver = (...events: OsvEvent[]): OsvRange[] => [{ type: 'SEMVER', events }];

describe('OSV range evaluation', () => {
  it('follows the schema examples: everything affected, fixed, several ranges', () => {
    expect(evaluate(semver({ introduced: '0' }), 'npm', '99.0.0')).toEqual({ affected: true });
    expect(evaluate(semver({ introduced: '0' }, { fixed: '1.0.2' }), 'npm', '1.0.1')).toEqual({
      affected: true,
      fixed: '1.0.2',
    });
    expect(evaluate(semver({ introduced: '0' }, { fixed: '1.0.2' }), 'npm', '1.0.2')).toEqual({
      affected: false,
    });
    const several = semver(
      { introduced: '1.0.0' },
      { fixed: '1.0.2' },
      { introduced: '3.0.0' },
      { fixed: '3.2.5' },
    );
    expect(evaluate(several, 'npm', '0.9.0')).toEqual({ affected: false });
    expect(evaluate(several, 'npm', '1.0.0')).toEqual({ affected: true, fixed: '1.0.2' });
    expect(evaluate(several, 'npm', '2.0.0')).toEqual({ affected: false });
    expect(evaluate(several, 'npm', '3.2.4')).toEqual({ affected: true, fixed: '3.2.5' });
  });

  it('treats last_affected as inclusive and reports no fix', () => {
    const range = semver({ introduced: '1.0.0' }, { last_affected: '1.2.0' });
    expect(evaluate(range, 'npm', '1.2.0')).toEqual({ affected: true });
    expect(evaluate(range, 'npm', '1.2.1')).toEqual({ affected: false });
  });

  it('honours limit events, with "*" meaning no limit', () => {
    expect(evaluate(semver({ introduced: '0' }, { limit: '2.0.0' }), 'npm', '1.9.9')).toEqual({
      affected: true,
    });
    expect(evaluate(semver({ introduced: '0' }, { limit: '2.0.0' }), 'npm', '2.0.0')).toEqual({
      affected: false,
    });
    expect(evaluate(semver({ introduced: '0' }, { limit: '*' }), 'npm', '9.0.0')).toEqual({ affected: true });
  });

  it('sorts events by version first (PYSEC-2023-212 lists the 2.x range before the 1.x one)', () => {
    const ranges: OsvRange[] = [
      {
        type: 'ECOSYSTEM',
        events: [{ introduced: '2.0.0' }, { fixed: '2.0.7' }, { introduced: '0' }, { fixed: '1.26.18' }],
      },
    ];
    expect(evaluate(ranges, 'PyPI', '1.26.17')).toEqual({ affected: true, fixed: '1.26.18' });
    expect(evaluate(ranges, 'PyPI', '1.26.18')).toEqual({ affected: false });
    expect(evaluate(ranges, 'PyPI', '2.0.6')).toEqual({ affected: true, fixed: '2.0.7' });
    expect(evaluate(ranges, 'PyPI', '2.0.7')).toEqual({ affected: false });
  });

  it('orders ECOSYSTEM ranges the ecosystem’s way: dpkg epochs and tildes', () => {
    const zlib: OsvRange[] = [
      { type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '1:1.2.11.dfsg-4.1' }] },
    ];
    expect(evaluate(zlib, 'Debian:12', '1:1.2.13.dfsg-1')).toEqual({ affected: false });
    expect(evaluate(zlib, 'Debian:12', '1:1.2.11.dfsg-4')).toEqual({
      affected: true,
      fixed: '1:1.2.11.dfsg-4.1',
    });
    const apt: OsvRange[] = [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '1.4~beta2' }] }];
    expect(evaluate(apt, 'Debian:12', '1.4~beta1')).toEqual({ affected: true, fixed: '1.4~beta2' });
    expect(evaluate(apt, 'Debian:12', '1.4')).toEqual({ affected: false });
  });

  it('cannot decide ranges of ecosystems without an ordering, or with versions that do not parse', () => {
    const packagist: OsvRange[] = [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '1.0' }] }];
    expect(compileRanges(packagist, 'Packagist', new VersionCache())).toEqual({
      ok: false,
      problem: 'no version ordering is known for ECOSYSTEM ranges of ecosystem "Packagist"',
    });
    expect(
      compileRanges(semver({ introduced: '0' }, { fixed: 'not-a-version' }), 'npm', new VersionCache()),
    ).toMatchObject({ ok: false, problem: 'fixed "not-a-version" is not a semver version' });
  });

  it('agrees with interval membership for any set of disjoint SEMVER intervals, whatever the event order', () => {
    const version = fc.tuple(fc.nat(20), fc.nat(20), fc.nat(20)).map(([a, b, c]) => `${a}.${b}.${c}`);
    fc.assert(
      fc.property(
        fc.uniqueArray(version, { minLength: 2, maxLength: 8 }),
        version,
        fc.boolean(),
        (points, probe, openEnded) => {
          const sorted = [...points].sort((a, b) => compareVersions('semver', a, b));
          const events: OsvEvent[] = sorted.map((v, i) => (i % 2 === 0 ? { introduced: v } : { fixed: v }));
          if (!openEnded && events.length % 2 === 1) events.pop();
          const intervals: [string, string | undefined][] = [];
          for (let i = 0; i < events.length; i += 2)
            intervals.push([events[i]!.introduced!, events[i + 1]?.fixed]);
          const inside = intervals.some(
            ([from, to]) =>
              compareVersions('semver', probe, from) >= 0 &&
              (to === undefined || compareVersions('semver', probe, to) < 0),
          );
          const shuffled = [...events].reverse();
          const verdict = evaluate(semver(...shuffled), 'npm', probe);
          expect(verdict !== 'undecidable' && verdict.affected).toBe(inside);
        },
      ),
      { numRuns: 500 },
    );
  });
});
