import { describe, expect, it } from 'vitest';
import { AppError } from '../../kernel/index.js';
import { type TargetSpec, parseTargetSpec } from './location.js';

const D256 = `sha256:${'ab'.repeat(32)}`;

describe('parseTargetSpec', () => {
  const cases: [string, TargetSpec][] = [
    [
      'python:3.12',
      { kind: 'remote', reference: { registry: 'docker.io', repository: 'library/python', tag: '3.12' } },
    ],
    [
      'docker://ghcr.io/o/i:t',
      { kind: 'remote', reference: { registry: 'ghcr.io', repository: 'o/i', tag: 't' } },
    ],
    ['localhost:5000/x', { kind: 'remote', reference: { registry: 'localhost:5000', repository: 'x' } }],
    // A host named like a transport, with a port, is still a registry.
    ['dir:5000/x', { kind: 'remote', reference: { registry: 'dir:5000', repository: 'x' } }],
    ['oci:./images', { kind: 'layout', path: './images' }],
    ['oci:./images:v1', { kind: 'layout', path: './images', tag: 'v1' }],
    ['oci:/srv/layouts/python:3.12-slim', { kind: 'layout', path: '/srv/layouts/python', tag: '3.12-slim' }],
    [`oci:/srv/x@${D256}`, { kind: 'layout', path: '/srv/x', digest: D256 }],
    [`oci:/srv/x:t@${D256}`, { kind: 'layout', path: '/srv/x', tag: 't', digest: D256 }],
    // A path with ":" needs a trailing tag; the tag is after the last ":".
    ['oci:/data/a:b:latest', { kind: 'layout', path: '/data/a:b', tag: 'latest' }],
    // What follows the last ":" contains a path separator, so it is part of the path.
    ['oci:/data/a:b/c', { kind: 'layout', path: '/data/a:b/c' }],
    ['oci:C:\\images\\python', { kind: 'layout', path: 'C:\\images\\python' }],
    // An "@" that does not start a digest belongs to the path.
    ['oci:/tmp/build@2024:v1', { kind: 'layout', path: '/tmp/build@2024', tag: 'v1' }],
    ['ocidir://layouts/app', { kind: 'layout', path: 'layouts/app' }],
    ['ocidir://layouts/app:edge', { kind: 'layout', path: 'layouts/app', tag: 'edge' }],
    [`ocidir:///abs/app@${D256}`, { kind: 'layout', path: '/abs/app', digest: D256 }],
  ];

  it.each(cases)('%s', (text, expected) => {
    expect(parseTargetSpec(text)).toStrictEqual(expected);
  });

  it.each([
    ['oci:', /directory path is missing/],
    ['ocidir://', /directory path is missing/],
    ['oci::v1', /directory path is missing/],
    ['oci:./x:', /":" must be followed by a tag/],
    ['oci:./x:.hidden', /invalid tag "\.hidden" in "oci:\.\/x:\.hidden"/],
    ['oci:./x@sha256:abc', /invalid digest "sha256:abc".*64 lowercase hex digits/],
    ['docker-archive:/tmp/x.tar', /the "docker-archive:" transport is not supported/],
    ['containers-storage:python', /"containers-storage:" transport is not supported/],
    [
      'dir:/tmp/x',
      /"dir:" transport is not supported; use docker:\/\/REFERENCE, oci:PATH\[:TAG\] or ocidir:\/\/PATH\[:TAG\]/,
    ],
    ['https://ghcr.io/o/i', /"https:\/\/" is not part of an image reference/],
    ['Python', /must be lowercase/],
  ])('refuses %s', (text, message) => {
    let caught: unknown;
    try {
      parseTargetSpec(text);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(AppError);
    expect((caught as AppError).code).toBe('OCI_REFERENCE_INVALID');
    expect((caught as AppError).message).toMatch(message);
  });
});
