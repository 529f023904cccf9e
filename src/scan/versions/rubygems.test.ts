import { describe, expect, it } from 'vitest';
import { compareVersions, isValidVersion } from './compare.js';
import { ascendingViolations, equalityViolations } from './testing/ordering.js';

// Cases from RubyGems' test/rubygems/test_gem_version.rb.
describe('RubyGems versions', () => {
  it('orders like Gem::Version#<=> (test_spaceship, test_semver)', () => {
    const pairs: [string, string, number][] = [
      ['1.0', '1.0.0', 0],
      ['1.0', '1.0.a', 1],
      ['1.8.2', '0.0.0', 1],
      ['1.8.2', '1.8.2.a', 1],
      ['1.8.2.b', '1.8.2.a', 1],
      ['1.8.2.a', '1.8.2', -1],
      ['1.8.2.a10', '1.8.2.a9', 1],
      ['', '0', 0],
      ['0.beta.1', '0.0.beta.1', 0],
      ['0.0.beta', '0.0.beta.1', -1],
      ['0.0.beta', '0.beta.1', -1],
      ['5.a', '5.0.0.rc2', -1],
      ['5.x', '5.0.0.rc2', 1],
      ['1.9.3', '1.9.2.99', 1],
      ['1.9.3', '1.9.3.1', -1],
    ];
    for (const [a, b, expected] of pairs) {
      expect(compareVersions('rubygems', a, b), `${a} vs ${b}`).toBe(expected);
      expect(compareVersions('rubygems', b, a), `${b} vs ${a}`).toBe(-expected || 0);
    }
    const semver = ['1.0.0-alpha', '1.0.0-alpha.1', '1.0.0-beta.2', '1.0.0-beta.11', '1.0.0-rc.1', '1.0.0'];
    expect(ascendingViolations('rubygems', semver)).toEqual([]);
    expect(ascendingViolations('rubygems', ['1.0.0-rc1', '1.0.0'])).toEqual([]);
    expect(ascendingViolations('rubygems', ['1.0.0-1', '1'])).toEqual([]);
  });

  it('treats trailing zeros and prerelease spellings as equal (test_equals2, test_hash)', () => {
    expect(equalityViolations('rubygems', ['1.2', '1.2.0', ' 1.2 '])).toEqual([]);
    expect(equalityViolations('rubygems', ['1.2.b1', '1.2.b.1'])).toEqual([]);
    expect(equalityViolations('rubygems', ['1.2.pre.1', '1.2.0.pre.1.0', '1.2-1'])).toEqual([]);
    expect(equalityViolations('rubygems', ['1.0.0.a.1.0', '1.a.1'])).toEqual([]);
  });

  it('compares letters case-sensitively, uppercase first', () => {
    expect(ascendingViolations('rubygems', ['1.0.A', '1.0.B', '1.0.a', '1.0'])).toEqual([]);
  });

  it('accepts Gem::Version.correct? versions only (test_initialize_invalid)', () => {
    for (const good of ['1.0', '  1.0  ', '1', '', '   ', '1.0.a', '1.0-pre-1', '1.0-x.y-z', '1.A']) {
      expect(isValidVersion('rubygems', good), JSON.stringify(good)).toBe(true);
    }
    for (const bad of [
      'junk',
      '1.0\n2.0',
      '1..2',
      '1.2 3.4',
      '2.3422222.222.222222222.22222.ads0as.dasd0.ddd2222.2.qd3e.',
      '1.0-',
      'a.1',
      '1.0+1',
    ]) {
      expect(isValidVersion('rubygems', bad), JSON.stringify(bad)).toBe(false);
    }
  });

  it('decides ranges with four-part fixed versions', () => {
    expect(compareVersions('rubygems', '2.2.6.3', '2.2.6.4')).toBe(-1);
    expect(compareVersions('rubygems', '3.0.6', '3.0.6.1')).toBe(-1);
    expect(compareVersions('rubygems', '3.0.6.1', '3.0.6.1')).toBe(0);
    expect(compareVersions('rubygems', '3.0.7', '3.0.6.1')).toBe(1);
    expect(compareVersions('rubygems', '3.1.0.beta1', '3.0.6.1')).toBe(1);
  });
});
