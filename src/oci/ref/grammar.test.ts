import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { REPOSITORY_PATH_PATTERN, TAG_PATTERN, isValidRepositoryPath, isValidTag } from './grammar.js';
import { repositoryPathArb, tagArb } from './testing/arbitraries.js';

describe('isValidTag', () => {
  it.each(['latest', '3.12-slim', 'v1.2.3', '_x', 'A', '1', 'a'.repeat(128), 'sha256-abc.sig'])(
    'accepts %s',
    (tag) => {
      expect(isValidTag(tag)).toBe(true);
    },
  );

  it.each(['', '.x', '-x', 'a'.repeat(129), 'a:b', 'a/b', 'a b', 'é', 'a+b'])('refuses %j', (tag) => {
    expect(isValidTag(tag)).toBe(false);
  });

  it('agrees with TAG_PATTERN on generated tags', () => {
    fc.assert(fc.property(tagArb, (tag) => isValidTag(tag) && TAG_PATTERN.test(tag)));
  });
});

describe('isValidRepositoryPath', () => {
  it.each(['library/python', 'a', 'a/b/c/d', 'a.b_c__d---e', '0/9'])('accepts %s', (path) => {
    expect(isValidRepositoryPath(path)).toBe(true);
  });

  it.each(['', '/a', 'a/', 'a//b', 'A', 'a.-b', 'a..b', 'a___b', 'a_', '.a', 'a:b', 'ghcr.io:5000/a'])(
    'refuses %j',
    (path) => {
      expect(isValidRepositoryPath(path)).toBe(false);
    },
  );

  it('limits the path to 255 characters', () => {
    expect(isValidRepositoryPath('a'.repeat(255))).toBe(true);
    expect(isValidRepositoryPath('a'.repeat(256))).toBe(false);
    expect(REPOSITORY_PATH_PATTERN.test('a'.repeat(256))).toBe(true);
  });

  it('accepts every generated path and rejects it with an uppercase letter', () => {
    fc.assert(
      fc.property(repositoryPathArb, (path) => {
        expect(isValidRepositoryPath(path)).toBe(true);
        expect(isValidRepositoryPath(`${path}X`)).toBe(false);
      }),
    );
  });

  it('matches long non-matching input in linear time', () => {
    const started = performance.now();
    expect(REPOSITORY_PATH_PATTERN.test(`${'a-'.repeat(50_000)}!`)).toBe(false);
    expect(performance.now() - started).toBeLessThan(500);
  });
});
