import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { selectTags } from './tag-filter.js';
import { compareTagsDescending, parseTagVersion } from './tag-version.js';

const pythonTags = [
  'latest',
  '3',
  '3.12',
  '3.12.4',
  '3.12.4-slim',
  '3.12-slim',
  '3.12-slim-bookworm',
  '3.13',
  '3.13.0rc1',
  '3.13.0rc1-slim',
  '3.13.1-slim',
  '3.14-slim',
  '3.11-slim',
  '3.11.9-slim',
  '2.7',
  'slim',
  'bookworm',
  'v3.10.2',
];

describe('parseTagVersion', () => {
  it.each([
    ['3.12', '3.12.0', 2, ''],
    ['3.12.4-slim-bookworm', '3.12.4', 3, 'slim-bookworm'],
    ['v1.2', '1.2.0', 2, ''],
    ['22-alpine3.20', '22.0.0', 1, 'alpine3.20'],
    ['3.13.0rc1', '3.13.0-rc1', 3, ''],
    ['3.13.0rc1-slim', '3.13.0-rc1', 3, 'slim'],
    ['1.0.0-beta.2', '1.0.0-beta2', 3, ''],
  ])('%s → %s', (tag, version, precision, variant) => {
    const parsed = parseTagVersion(tag);
    expect(parsed?.version.version).toBe(version);
    expect(parsed?.precision).toBe(precision);
    expect(parsed?.variant).toBe(variant);
  });

  it.each(['latest', 'slim', 'bookworm', 'sha256-abc.sig', '3abc'])('%s has no version', (tag) => {
    expect(parseTagVersion(tag)).toBeUndefined();
  });
});

describe('selectTags', () => {
  it('applies include, then exclude', () => {
    expect(selectTags(pythonTags, { include: ['-slim$'], exclude: ['rc'] })).toEqual([
      '3.12.4-slim',
      '3.12-slim',
      '3.13.1-slim',
      '3.14-slim',
      '3.11-slim',
      '3.11.9-slim',
    ]);
  });

  it('keeps the newest N by version, most precise first', () => {
    expect(selectTags(pythonTags, { include: ['^3\\.1[2-4](\\.\\d+)?-slim$'], latest: 3 })).toEqual([
      '3.14-slim',
      '3.13.1-slim',
      '3.12.4-slim',
    ]);
  });

  it('filters by semver range and leaves pre-releases out unless asked', () => {
    expect(
      selectTags(['21', '22', '22.1.0', '26-alpine', '27', '23.0.0-rc1'], { semver: '>=22 <27' }),
    ).toEqual(['22', '22.1.0', '26-alpine']);
    expect(selectTags(['22', '23.0.0-rc1'], { semver: '>=22 <27', includePrerelease: true })).toEqual([
      '22',
      '23.0.0-rc1',
    ]);
  });

  it('reports bad patterns and ranges as usage errors naming them', () => {
    expect(() => selectTags(['a'], { include: ['(('] })).toThrow(/invalid include pattern \/\(\(\//);
    expect(() => selectTags(['a'], { semver: 'not a range' })).toThrow(/invalid semver range "not a range"/);
    expect(() => selectTags(['a'], { latest: 0 })).toThrow(/latest must be a positive integer/);
  });

  it('never returns a tag that was not given, nor more than latest', () => {
    fc.assert(
      fc.property(
        fc.array(fc.stringMatching(/^[a-z0-9][a-z0-9._-]{0,12}$/)),
        fc.integer({ min: 1, max: 5 }),
        (tags, latest) => {
          const out = selectTags(tags, { latest });
          expect(out.length).toBeLessThanOrEqual(latest);
          for (const tag of out) expect(tags).toContain(tag);
        },
      ),
    );
  });

  it('orders consistently (antisymmetric comparison)', () => {
    fc.assert(
      fc.property(
        fc.stringMatching(/^v?\d{1,2}(\.\d{1,2}){0,2}(-[a-z]{1,5})?$/),
        fc.stringMatching(/^v?\d{1,2}(\.\d{1,2}){0,2}(-[a-z]{1,5})?$/),
        (a, b) => {
          // `+ 0` folds -0 into 0: equal tags compare as 0 both ways.
          expect(Math.sign(compareTagsDescending(a, b)) + 0).toBe(
            -Math.sign(compareTagsDescending(b, a)) + 0,
          );
        },
      ),
    );
  });
});
