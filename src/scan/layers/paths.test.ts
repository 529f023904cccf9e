import { describe, expect, it } from 'vitest';
import { childPath, entryComponents, joinPath } from './paths.js';

describe('entryComponents', () => {
  it.each([
    ['usr/lib/os-release', ['usr', 'lib', 'os-release']],
    ['./usr/lib/', ['usr', 'lib']],
    ['/etc//passwd', ['etc', 'passwd']],
    ['a/./b/../c', ['a', 'c']],
    ['./', []],
    ['/', []],
    ['.', []],
    ['a/..', []],
    ['..foo/bar..', ['..foo', 'bar..']],
  ])('reads %j as %j', (name, expected) => {
    expect(entryComponents(name)).toEqual(expected);
  });

  it.each(['..', '../etc/passwd', './a/../../b', '/../x', 'a/b/../../../c'])(
    'refuses %j, which leaves the root',
    (name) => {
      expect(entryComponents(name)).toBeUndefined();
    },
  );
});

describe('joinPath and childPath', () => {
  it('build absolute paths', () => {
    expect(joinPath([])).toBe('/');
    expect(joinPath(['usr', 'lib'])).toBe('/usr/lib');
    expect(childPath('/', 'etc')).toBe('/etc');
    expect(childPath('/etc', 'passwd')).toBe('/etc/passwd');
  });
});
