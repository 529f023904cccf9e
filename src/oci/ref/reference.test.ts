import { describe, expect, it } from 'vitest';
import { AppError } from '../../kernel/index.js';
import {
  type ImageReference,
  familiarReference,
  formatReference,
  formatRepository,
  parseReference,
  parseRepository,
  referenceTarget,
  repositoryOf,
  withDigest,
  withTag,
} from './reference.js';

const D256 = `sha256:${'0123456789abcdef'.repeat(4)}`;
const D512 = `sha512:${'fedcba9876543210'.repeat(8)}`;

function errorOf(fn: () => unknown): AppError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(AppError);
    return error as AppError;
  }
  throw new Error('expected an error');
}

describe('parseReference: real-world references', () => {
  const cases: [string, ImageReference, string][] = [
    ['python', { registry: 'docker.io', repository: 'library/python' }, 'python'],
    [
      'python:3.12-slim',
      { registry: 'docker.io', repository: 'library/python', tag: '3.12-slim' },
      'python:3.12-slim',
    ],
    ['library/python:3', { registry: 'docker.io', repository: 'library/python', tag: '3' }, 'python:3'],
    ['docker.io/python', { registry: 'docker.io', repository: 'library/python' }, 'python'],
    [
      'index.docker.io/library/nginx:1.27',
      { registry: 'docker.io', repository: 'library/nginx', tag: '1.27' },
      'nginx:1.27',
    ],
    [
      'registry-1.docker.io/bitnami/redis:7.2',
      { registry: 'docker.io', repository: 'bitnami/redis', tag: '7.2' },
      'bitnami/redis:7.2',
    ],
    [
      'Docker.IO/grafana/grafana',
      { registry: 'docker.io', repository: 'grafana/grafana' },
      'grafana/grafana',
    ],
    [
      'bitnami/postgresql:16',
      { registry: 'docker.io', repository: 'bitnami/postgresql', tag: '16' },
      'bitnami/postgresql:16',
    ],
    [
      'docker://alpine:3.20',
      { registry: 'docker.io', repository: 'library/alpine', tag: '3.20' },
      'alpine:3.20',
    ],
    [
      'ghcr.io/owner/image:v1.2.3',
      { registry: 'ghcr.io', repository: 'owner/image', tag: 'v1.2.3' },
      'ghcr.io/owner/image:v1.2.3',
    ],
    ['GHCR.io/owner/image', { registry: 'ghcr.io', repository: 'owner/image' }, 'ghcr.io/owner/image'],
    [
      'mcr.microsoft.com/dotnet/runtime:8.0',
      { registry: 'mcr.microsoft.com', repository: 'dotnet/runtime', tag: '8.0' },
      'mcr.microsoft.com/dotnet/runtime:8.0',
    ],
    [
      'public.ecr.aws/docker/library/busybox:latest',
      { registry: 'public.ecr.aws', repository: 'docker/library/busybox', tag: 'latest' },
      'public.ecr.aws/docker/library/busybox:latest',
    ],
    [
      'gcr.io/distroless/static-debian12:nonroot',
      { registry: 'gcr.io', repository: 'distroless/static-debian12', tag: 'nonroot' },
      'gcr.io/distroless/static-debian12:nonroot',
    ],
    ['localhost/app', { registry: 'localhost', repository: 'app' }, 'localhost/app'],
    ['localhost:5000/x', { registry: 'localhost:5000', repository: 'x' }, 'localhost:5000/x'],
    ['127.0.0.1:5000/x:t', { registry: '127.0.0.1:5000', repository: 'x', tag: 't' }, '127.0.0.1:5000/x:t'],
    ['[::1]:5000/x', { registry: '[::1]:5000', repository: 'x' }, '[::1]:5000/x'],
    [
      '[2001:DB8::1]/team/app:1',
      { registry: '[2001:db8::1]', repository: 'team/app', tag: '1' },
      '[2001:db8::1]/team/app:1',
    ],
    [
      'myregistry:5000/a_b/c__d/e--f.g:T_1',
      { registry: 'myregistry:5000', repository: 'a_b/c__d/e--f.g', tag: 'T_1' },
      'myregistry:5000/a_b/c__d/e--f.g:T_1',
    ],
    [
      `quay.io/a/b/c:tag@${D256}`,
      { registry: 'quay.io', repository: 'a/b/c', tag: 'tag', digest: D256 },
      `quay.io/a/b/c:tag@${D256}`,
    ],
    [
      `python@${D512}`,
      { registry: 'docker.io', repository: 'library/python', digest: D512 },
      `python@${D512}`,
    ],
    // Docker's rule: without "/", "localhost:5000" is the official image "localhost" at tag "5000".
    [
      'localhost:5000',
      { registry: 'docker.io', repository: 'library/localhost', tag: '5000' },
      'localhost:5000',
    ],
    // A dotted first component is a host, so the familiar form must keep docker.io.
    ['docker.io/foo.bar/app', { registry: 'docker.io', repository: 'foo.bar/app' }, 'docker.io/foo.bar/app'],
    [
      'docker.io/localhost/app',
      { registry: 'docker.io', repository: 'localhost/app' },
      'docker.io/localhost/app',
    ],
    ['docker.io/library/a/b', { registry: 'docker.io', repository: 'library/a/b' }, 'library/a/b'],
  ];

  it.each(cases)('%s', (text, expected, familiar) => {
    const ref = parseReference(text);
    expect(ref).toStrictEqual(expected);
    expect(familiarReference(ref)).toBe(familiar);
    expect(parseReference(familiarReference(ref))).toStrictEqual(expected);
    expect(parseReference(formatReference(ref))).toStrictEqual(expected);
  });

  it('formats canonically', () => {
    expect(formatReference(parseReference(`python:3.12@${D256}`))).toBe(
      `docker.io/library/python:3.12@${D256}`,
    );
    expect(formatRepository(parseReference('python:3.12'))).toBe('docker.io/library/python');
    expect(formatReference(parseReference('Registry-1.Docker.io/x/y'))).toBe('docker.io/x/y');
  });

  it('accepts names of exactly 255 characters', () => {
    const path = `a/${'b'.repeat(255 - 'ghcr.io/a/'.length)}`;
    expect(parseReference(`ghcr.io/${path}`).repository).toBe(path);
  });
});

describe('parseReference: invalid references name the wrong part', () => {
  const cases: [input: string, part: string, message: RegExp][] = [
    ['', 'reference', /^empty image reference/],
    ['docker://', 'reference', /^empty image reference/],
    [' python', 'reference', /contains whitespace/],
    ['python:3 ', 'reference', /contains whitespace/],
    ['https://ghcr.io/o/i', 'reference', /"https:\/\/" is not part of an image reference/],
    ['Python', 'repository', /invalid repository "Python".*repository names must be lowercase/],
    ['ghcr.io/Owner/image', 'repository', /invalid repository "Owner\/image".*must be lowercase/],
    ['MyOrg/app', 'repository', /must be lowercase/],
    ['x/', 'repository', /must not be empty/],
    ['/x', 'repository', /must not be empty/],
    ['a//b', 'repository', /must not be empty/],
    ['ghcr.io/', 'repository', /the repository name is missing/],
    ['a/-b', 'repository', /component "-b" is not valid/],
    ['a/b_', 'repository', /component "b_" is not valid/],
    ['a/b___c', 'repository', /component "b___c" is not valid/],
    ['a/é', 'repository', /component "é" is not valid/],
    ['x:', 'tag', /":" must be followed by a tag/],
    ['::', 'tag', /":" must be followed by a tag/],
    ['x:.bad', 'tag', /invalid tag "\.bad" in reference "x:\.bad": tags are up to 128 characters/],
    ['x:-bad', 'tag', /invalid tag "-bad"/],
    [`x:${'a'.repeat(129)}`, 'tag', /invalid tag/],
    // A ":" in the first component makes it a host, as in Docker.
    ['x:a/b', 'registry', /invalid registry host "x:a".*port "a"/],
    ['x@', 'digest', /"@" must be followed by a digest/],
    ['@', 'digest', /"@" must be followed by a digest/],
    [
      'x@sha256:abc',
      'digest',
      /invalid digest "sha256:abc" in reference "x@sha256:abc": a sha256 digest is "sha256:" followed by 64 lowercase hex digits/,
    ],
    [`x@${D256.toUpperCase()}`, 'digest', /invalid digest/],
    [`x@md5:${'a'.repeat(32)}`, 'digest', /unsupported digest algorithm "md5"; supported are sha256, sha512/],
    [`x@${D256}@${D256}`, 'digest', /invalid digest/],
    ['x@latest', 'digest', /expected ALGORITHM:HEX/],
    [':tag', 'repository', /the repository name is missing/],
    [`@${D256}`, 'repository', /the repository name is missing/],
    ['ghcr.io:/x', 'registry', /invalid registry host "ghcr.io:".*port after ":" is empty/],
    ['ghcr.io:0/x', 'registry', /port "0" must be a number from 1 to 65535/],
    ['ghcr.io:65536/x', 'registry', /port "65536"/],
    ['ghcr.io:http/x', 'registry', /port "http"/],
    ['a:b:c/d', 'registry', /at most one ":PORT"/],
    ['-bad.io/x', 'registry', /host label "-bad"/],
    ['bad..io/x', 'registry', /empty labels/],
    ['bad_host.io/x', 'registry', /host label "bad_host"/],
    ['[::1/x', 'registry', /closed with "]"/],
    ['[zz::1]:5000/x', 'registry', /"zz::1" is not an IPv6 address/],
    ['[fe80::1%eth0]:5000/x', 'registry', /"fe80::1%eth0" is not an IPv6 address/],
    ['[::1]x/y', 'registry', /only ":PORT" may follow/],
    ['[::1]:5000', 'repository', /must be followed by "\/REPOSITORY"/],
    ['0123456789abcdef'.repeat(4), 'repository', /is an image ID/],
    [D256, 'repository', /a digest alone is not a reference/],
    [
      `ghcr.io/${'x'.repeat(248)}`,
      'repository',
      /is 256 characters; registry and repository together may have at most 255/,
    ],
    ['y'.repeat(238), 'repository', /"docker\.io\/library\/y+" is 256 characters/],
  ];

  it.each(cases)('%j', (input, part, message) => {
    const error = errorOf(() => parseReference(input));
    expect(error.code).toBe('OCI_REFERENCE_INVALID');
    expect(error.message).toMatch(message);
    expect(error.details).toMatchObject({ part });
  });

  it('shortens very long input in messages', () => {
    const error = errorOf(() => parseReference(`x:${'a'.repeat(5000)}`));
    expect(error.message.length).toBeLessThan(800);
  });

  it('redacts credentials typed into a reference', () => {
    const error = errorOf(() => parseReference('https://user:hunter2@ghcr.io/o/i'));
    expect(error.message).not.toContain('hunter2');
    expect(JSON.stringify(error.details)).not.toContain('hunter2');
  });
});

describe('parseRepository', () => {
  it('normalises like a reference', () => {
    expect(parseRepository('python')).toStrictEqual({ registry: 'docker.io', repository: 'library/python' });
    expect(parseRepository('localhost:5000/a/b')).toStrictEqual({
      registry: 'localhost:5000',
      repository: 'a/b',
    });
  });

  it('refuses a tag or digest, saying which', () => {
    expect(errorOf(() => parseRepository('python:3.12')).message).toMatch(
      /names an image, not a repository: remove the tag ":3\.12"/,
    );
    const digestError = errorOf(() => parseRepository(`ghcr.io/o/i:t@${D256}`));
    expect(digestError.message).toContain(`remove the digest "@${D256}"`);
    expect(digestError.details).toMatchObject({ part: 'digest' });
  });
});

describe('familiarReference', () => {
  it('keeps library/ when the short name would read as an image ID or digest', () => {
    const id = { registry: 'docker.io', repository: `library/${'ab'.repeat(32)}` };
    expect(familiarReference(id)).toBe(`library/${'ab'.repeat(32)}`);
    expect(parseReference(familiarReference(id))).toStrictEqual(id);
    const digestLike = { registry: 'docker.io', repository: 'library/sha256', tag: 'ab'.repeat(32) };
    expect(familiarReference(digestLike)).toBe(`library/sha256:${'ab'.repeat(32)}`);
    expect(parseReference(familiarReference(digestLike))).toStrictEqual(digestLike);
  });

  it('writes tag and digest together', () => {
    expect(familiarReference(parseReference(`python:3.12@${D256}`))).toBe(`python:3.12@${D256}`);
  });
});

describe('referenceTarget and helpers', () => {
  it('asks for the digest, else the tag, else latest', () => {
    expect(referenceTarget(parseReference(`a:b@${D256}`))).toBe(D256);
    expect(referenceTarget(parseReference('a:b'))).toBe('b');
    expect(referenceTarget(parseReference('a'))).toBe('latest');
  });

  it('withTag and withDigest keep the other part, as distribution/reference does', () => {
    const ref = parseReference(`ghcr.io/o/i:old@${D256}`);
    expect(withTag(ref, 'new')).toStrictEqual({
      registry: 'ghcr.io',
      repository: 'o/i',
      tag: 'new',
      digest: D256,
    });
    expect(withDigest(ref, D512)).toStrictEqual({
      registry: 'ghcr.io',
      repository: 'o/i',
      tag: 'old',
      digest: D512,
    });
    expect(withTag(repositoryOf(ref), 'x')).toStrictEqual({
      registry: 'ghcr.io',
      repository: 'o/i',
      tag: 'x',
    });
    expect(withDigest(repositoryOf(ref), D256)).toStrictEqual({
      registry: 'ghcr.io',
      repository: 'o/i',
      digest: D256,
    });
  });

  it('withTag and withDigest validate', () => {
    const ref = parseReference('a');
    expect(errorOf(() => withTag(ref, '.x')).code).toBe('OCI_REFERENCE_INVALID');
    expect(errorOf(() => withDigest(ref, 'sha256:12')).message).toMatch(/64 lowercase hex digits/);
  });
});
