import { describe, expect, it } from 'vitest';
import { matchRoute } from './route.js';

const DIGEST = `sha256:${'a'.repeat(64)}`;

describe('matchRoute', () => {
  it.each([
    ['/v2/', { kind: 'base' }],
    ['/v2', { kind: 'base' }],
    ['/v2/_catalog', { kind: 'catalog' }],
    ['/token', { kind: 'token' }],
    ['/v2/a/b/manifests/latest', { kind: 'manifest', name: 'a/b', reference: 'latest' }],
    [`/v2/a/blobs/${DIGEST}`, { kind: 'blob', name: 'a', digest: DIGEST }],
    ['/v2/a/b/blobs/uploads/', { kind: 'upload-start', name: 'a/b' }],
    ['/v2/a/b/blobs/uploads', { kind: 'upload-start', name: 'a/b' }],
    ['/v2/a/blobs/uploads/1234', { kind: 'upload', name: 'a', id: '1234' }],
    ['/v2/a/b/c/tags/list', { kind: 'tags', name: 'a/b/c' }],
    [`/v2/a/referrers/${DIGEST}`, { kind: 'referrers', name: 'a', digest: DIGEST }],
  ])('routes %s', (path, route) => {
    expect(matchRoute(path)).toEqual(route);
  });

  it('takes the endpoint from the end, so names may contain endpoint words', () => {
    expect(matchRoute('/v2/x/manifests/y/manifests/v1')).toEqual({
      kind: 'manifest',
      name: 'x/manifests/y',
      reference: 'v1',
    });
    expect(matchRoute('/v2/blobs/blobs/uploads/abc')).toEqual({ kind: 'upload', name: 'blobs', id: 'abc' });
    expect(matchRoute('/v2/tags/list/tags/list')).toEqual({ kind: 'tags', name: 'tags/list' });
  });

  it.each([
    '/',
    '/v1/x/manifests/a',
    '/v2/x',
    '/v2/x/unknown/a',
    '/v2/manifests/a',
    '/v2/x/manifests/',
    '/v2//tags/list',
    '/v2/x/uploads/a',
  ])('finds no endpoint at %s', (path) => {
    expect(matchRoute(path)).toBeUndefined();
  });
});
