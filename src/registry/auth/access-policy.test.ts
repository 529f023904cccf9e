import { describe, expect, it } from 'vitest';
import { RegistryConfig } from '../config.js';
import { AccessPolicy, ANONYMOUS, type Identity, matchGlob } from './access-policy.js';

const alice: Identity = { subject: 'alice', kind: 'user', roles: ['quarantine'] };
const bob: Identity = { subject: 'bob', kind: 'user', roles: ['consumer'] };

function policy(input: unknown): AccessPolicy {
  return new AccessPolicy(RegistryConfig.parse(input));
}

const namespaced = policy({
  auth: {},
  namespaces: [
    { match: 'quarantine/**', roles: { quarantine: ['pull', 'push'] } },
    { match: 'golden/*/stable', roles: { '*': ['pull'] } },
    { match: 'golden/**', anonymousPull: true, roles: { consumer: ['pull'], quarantine: ['push'] } },
  ],
});

describe('AccessPolicy', () => {
  it('is open without auth', () => {
    const open = policy({});
    expect([...open.actionsFor(ANONYMOUS, 'any/thing')]).toEqual(['pull', 'push', 'delete']);
    expect(open.mayListCatalog(ANONYMOUS)).toBe(true);
  });

  it('gives authenticated principals everything and anonymous nothing when auth has no namespaces', () => {
    const closed = policy({ auth: {} });
    expect(closed.actionsFor(ANONYMOUS, 'x').size).toBe(0);
    expect([...closed.actionsFor(alice, 'x')]).toEqual(['pull', 'push', 'delete']);
  });

  it('lets the first matching namespace decide', () => {
    expect([...namespaced.actionsFor(alice, 'quarantine/app')]).toEqual(['pull', 'push']);
    expect([...namespaced.actionsFor(bob, 'quarantine/app')]).toEqual([]);
    expect([...namespaced.actionsFor(bob, 'golden/app')]).toEqual(['pull']);
    expect([...namespaced.actionsFor(alice, 'golden/app')]).toEqual(['pull', 'push']);
    expect([...namespaced.actionsFor(ANONYMOUS, 'golden/app')]).toEqual(['pull']);
    // golden/*/stable comes first: everyone authenticated pulls, anonymous does not.
    expect([...namespaced.actionsFor(ANONYMOUS, 'golden/app/stable')]).toEqual([]);
    expect([...namespaced.actionsFor(bob, 'golden/app/stable')]).toEqual(['pull']);
    expect([...namespaced.actionsFor(alice, 'elsewhere/app')]).toEqual([]);
    expect(namespaced.namespaceOf('quarantine')?.match).toBe('quarantine/**');
  });

  it('treats token subjects that are no longer configured as anonymous', () => {
    expect(namespaced.identityOf('someone-removed')).toBe(ANONYMOUS);
  });
});

describe('matchGlob', () => {
  const glob = (pattern: string, name: string) => matchGlob(pattern.split('/'), 0, name.split('/'), 0);
  it.each([
    ['a/**', 'a', true],
    ['a/**', 'a/b/c', true],
    ['a/*', 'a/b', true],
    ['a/*', 'a/b/c', false],
    ['**/c', 'a/b/c', true],
    ['a/**/d', 'a/d', true],
    ['a/**/d', 'a/b/c/e', false],
    ['a', 'ab', false],
  ])('%s ~ %s is %s', (pattern, name, expected) => {
    expect(glob(pattern, name)).toBe(expected);
  });
});
