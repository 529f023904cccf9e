import { describe, expect, it } from 'vitest';
import { editDistance, nearest } from './suggest.js';

describe('nearest', () => {
  it('suggests close typos, transpositions and unique abbreviations, nothing far', () => {
    expect(nearest('nedds', ['needs', 'name', 'env'])).toBe('needs');
    expect(nearest('stpes', ['steps', 'env'])).toBe('steps');
    expect(nearest('repo', ['repository', 'tag'])).toBe('repository');
    expect(nearest('re', ['repository', 'retry'])).toBeUndefined();
    expect(nearest('zzz', ['needs', 'name'])).toBeUndefined();
  });

  it('measures edit distance with transpositions', () => {
    expect(editDistance('ab', 'ba')).toBe(1);
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance('', 'abc')).toBe(3);
  });
});
