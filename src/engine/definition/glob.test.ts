import { describe, expect, it } from 'vitest';
import { matchesGlob, repositoryGlobProblem, tagGlobProblem } from './glob.js';

describe('matchesGlob', () => {
  it('matches ** across segments and * within one', () => {
    expect(matchesGlob('quarantine/**', 'quarantine/node')).toBe(true);
    expect(matchesGlob('quarantine/**', 'quarantine/library/node')).toBe(true);
    expect(matchesGlob('quarantine/**', 'quarantine')).toBe(false);
    expect(matchesGlob('quarantine/**', 'golden/node')).toBe(false);
    expect(matchesGlob('**/node', 'node')).toBe(true);
    expect(matchesGlob('**/node', 'a/b/node')).toBe(true);
    expect(matchesGlob('library/*', 'library/node')).toBe(true);
    expect(matchesGlob('library/*', 'library/a/node')).toBe(false);
    expect(matchesGlob('**', 'anything/at/all')).toBe(true);
    expect(matchesGlob('v1.?', 'v1.2')).toBe(true);
    expect(matchesGlob('v1.*', 'v1x2')).toBe(false);
  });

  it('rejects patterns with characters names cannot have', () => {
    expect(repositoryGlobProblem('quarantine/**')).toBeUndefined();
    expect(repositoryGlobProblem('a//b')).toBe('"a//b" has an empty path segment');
    expect(repositoryGlobProblem('a/b**')).toBe(
      '"a/b**" uses ** inside a segment: ** stands for whole segments, as in quarantine/**',
    );
    expect(tagGlobProblem('v1.*')).toBeUndefined();
    expect(tagGlobProblem('v1/x')).toBe(
      '"v1/x" is not a tag pattern: use letters, digits, _ . - and the wildcards * and ?',
    );
  });
});
