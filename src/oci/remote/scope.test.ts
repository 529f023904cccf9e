import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../kernel/index.js';
import { repositoryPathArb } from '../ref/testing/arbitraries.js';
import {
  type Scope,
  formatScope,
  mergeScopes,
  parseScope,
  parseScopes,
  repositoryScope,
  scopeKey,
} from './scope.js';

describe('parseScope', () => {
  it.each<[string, Scope]>([
    ['repository:library/python:pull', { type: 'repository', name: 'library/python', actions: ['pull'] }],
    ['repository:a/b:push,pull', { type: 'repository', name: 'a/b', actions: ['pull', 'push'] }],
    ['repository:a:pull,pull,', { type: 'repository', name: 'a', actions: ['pull'] }],
    ['registry:catalog:*', { type: 'registry', name: 'catalog', actions: ['*'] }],
    [
      'repository:localhost:5000/team/app:pull',
      { type: 'repository', name: 'localhost:5000/team/app', actions: ['pull'] },
    ],
    [
      'repository(plugin):vieux/sshfs:pull',
      { type: 'repository(plugin)', name: 'vieux/sshfs', actions: ['pull'] },
    ],
    ['repository:app:metadata_read', { type: 'repository', name: 'app', actions: ['metadata_read'] }],
  ])('%s', (text, expected) => {
    expect(parseScope(text)).toStrictEqual(expected);
  });

  it.each([
    '',
    'repository',
    'repository:a',
    ':a:pull',
    'repository::pull',
    'repository:a:',
    'repository:a:,',
    'Repository:a:pull',
    'repository:a:PULL',
    'repository:a:pull push',
    'repository:a b:pull',
    'repository:a,b:pull',
  ])('refuses %j', (text) => {
    expect(parseScope(text)).toBeUndefined();
  });
});

describe('parseScopes', () => {
  it('reads a space-separated list, skipping unreadable scopes', () => {
    expect(parseScopes(' repository:a:pull  junk repository:b:pull,push\tregistry:catalog:* ')).toStrictEqual(
      [
        { type: 'repository', name: 'a', actions: ['pull'] },
        { type: 'repository', name: 'b', actions: ['pull', 'push'] },
        { type: 'registry', name: 'catalog', actions: ['*'] },
      ],
    );
    expect(parseScopes('')).toStrictEqual([]);
  });
});

describe('formatScope', () => {
  it('de-duplicates and sorts actions', () => {
    expect(formatScope({ type: 'repository', name: 'a/b', actions: ['push', 'pull', 'push'] })).toBe(
      'repository:a/b:pull,push',
    );
    expect(formatScope({ type: 'registry', name: 'catalog', actions: ['*'] })).toBe('registry:catalog:*');
  });
});

describe('mergeScopes', () => {
  it('unions actions of the same resource and keeps first-seen order', () => {
    const merged = mergeScopes([
      { type: 'repository', name: 'b', actions: ['push'] },
      { type: 'repository', name: 'a', actions: ['pull'] },
      { type: 'registry', name: 'b', actions: ['*'] },
      { type: 'repository', name: 'b', actions: ['pull', 'push'] },
    ]);
    expect(merged).toStrictEqual([
      { type: 'repository', name: 'b', actions: ['pull', 'push'] },
      { type: 'repository', name: 'a', actions: ['pull'] },
      { type: 'registry', name: 'b', actions: ['*'] },
    ]);
  });

  it('does not modify its input', () => {
    const input: Scope[] = [
      { type: 'repository', name: 'a', actions: ['push'] },
      { type: 'repository', name: 'a', actions: ['pull'] },
    ];
    mergeScopes(input);
    expect(input[0]!.actions).toStrictEqual(['push']);
  });
});

describe('scopeKey', () => {
  it('is the same for equivalent sets and different for different ones', () => {
    const a: Scope = { type: 'repository', name: 'a', actions: ['pull'] };
    const b: Scope = { type: 'repository', name: 'b', actions: ['push', 'pull'] };
    expect(scopeKey([a, b])).toBe(scopeKey([b, a]));
    expect(scopeKey([a, b, a])).toBe(scopeKey([a, b]));
    expect(scopeKey([a, { ...a, actions: ['push'] }])).toBe(scopeKey([{ ...a, actions: ['pull', 'push'] }]));
    expect(scopeKey([a])).not.toBe(scopeKey([a, b]));
    expect(scopeKey([])).toBe('');
  });
});

describe('repositoryScope', () => {
  it('builds a repository scope with sorted unique actions', () => {
    expect(repositoryScope('library/python', ['push', 'pull', 'push'])).toStrictEqual({
      type: 'repository',
      name: 'library/python',
      actions: ['pull', 'push'],
    });
  });

  it('refuses invalid repository names and empty actions', () => {
    expect(() => repositoryScope('a b', ['pull'])).toThrow(AppError);
    expect(() => repositoryScope('Upper/case', ['pull'])).toThrow(/invalid repository name "Upper\/case"/);
    expect(() => repositoryScope('a', [])).toThrow(/at least one action/);
  });
});

const actionArb = fc.constantFrom('pull', 'push', 'delete', '*', 'metadata_read');
const scopeArb: fc.Arbitrary<Scope> = fc.record({
  type: fc.constantFrom('repository', 'registry', 'repository(plugin)'),
  name: fc.oneof(
    repositoryPathArb,
    repositoryPathArb.map((p) => `localhost:5000/${p}`),
  ),
  actions: fc.array(actionArb, { minLength: 1, maxLength: 4 }),
});

describe('scope properties', () => {
  it('format and parse round-trip', () => {
    fc.assert(
      fc.property(scopeArb, (scope) => {
        const parsed = parseScope(formatScope(scope));
        expect(parsed).toStrictEqual({ ...scope, actions: [...new Set(scope.actions)].sort() });
        expect(formatScope(parsed!)).toBe(formatScope(scope));
      }),
    );
  });

  it('scopeKey ignores order and duplication, and grants what the inputs grant', () => {
    fc.assert(
      fc.property(fc.array(scopeArb, { maxLength: 6 }), fc.nat(), (scopes, seed) => {
        const shuffled = [...scopes, ...scopes.slice(0, seed % (scopes.length + 1))].reverse();
        expect(scopeKey(shuffled)).toBe(scopeKey(scopes));
        const granted = new Set(scopeKey(scopes).split(' ').filter(Boolean).flatMap(expand));
        expect(granted).toStrictEqual(new Set(scopes.flatMap((s) => expand(formatScope(s)))));
      }),
    );
  });
});

/** `type:name:a,b` → [`type:name:a`, `type:name:b`]. */
function expand(text: string): string[] {
  const scope = parseScope(text)!;
  return scope.actions.map((action) => `${scope.type}\u0000${scope.name}\u0000${action}`);
}
