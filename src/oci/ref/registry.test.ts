import { describe, expect, it } from 'vitest';
import { canonicalRegistry, isLoopbackRegistry, registryEndpoint, registryHostProblem } from './registry.js';

describe('canonicalRegistry', () => {
  it.each([
    ['docker.io', 'docker.io'],
    ['index.docker.io', 'docker.io'],
    ['registry-1.docker.io', 'docker.io'],
    ['Index.Docker.IO', 'docker.io'],
    ['GHCR.IO', 'ghcr.io'],
    ['localhost:5000', 'localhost:5000'],
    ['[2001:DB8::1]:443', '[2001:db8::1]:443'],
  ])('%s → %s', (host, expected) => {
    expect(canonicalRegistry(host)).toBe(expected);
  });
});

describe('registryEndpoint', () => {
  it('sends Docker Hub API requests to registry-1.docker.io', () => {
    expect(registryEndpoint('docker.io')).toBe('registry-1.docker.io');
    expect(registryEndpoint('index.docker.io')).toBe('registry-1.docker.io');
  });

  it('uses other registries as they are', () => {
    expect(registryEndpoint('ghcr.io')).toBe('ghcr.io');
    expect(registryEndpoint('localhost:5000')).toBe('localhost:5000');
  });
});

describe('isLoopbackRegistry', () => {
  it.each([
    'localhost',
    'localhost:5000',
    'LOCALHOST:5000',
    '127.0.0.1',
    '127.0.0.1:5000',
    '127.255.255.254:80',
    '127.1:5000',
    '::1',
    '[::1]',
    '[::1]:5000',
    '[0:0:0:0:0:0:0:1]:5000',
    '[::ffff:127.0.0.1]:5000',
  ])('%s is loopback', (registry) => {
    expect(isLoopbackRegistry(registry)).toBe(true);
  });

  it.each([
    '',
    'ghcr.io',
    '128.0.0.1',
    '10.0.0.1:5000',
    '0.0.0.0',
    '[::2]:5000',
    '[::ffff:10.0.0.1]',
    'localhost.example.com',
    '127.0.0.1.nip.io',
    'user@localhost',
    'localhost/x',
    'localhost:notaport',
    '[::1',
  ])('%s is not loopback', (registry) => {
    expect(isLoopbackRegistry(registry)).toBe(false);
  });
});

describe('registryHostProblem', () => {
  it.each([
    'ghcr.io',
    'localhost',
    'localhost:5000',
    '10.0.0.1:443',
    '[::1]',
    '[2001:db8::1]:5000',
    'a-b.c1:65535',
  ])('accepts %s', (host) => {
    expect(registryHostProblem(host)).toBeUndefined();
  });

  it.each([
    ['a_b.io', /host label "a_b"/],
    ['.io', /empty labels/],
    ['io.', /empty labels/],
    ['a.io:', /port after ":" is empty/],
    ['a.io:123456', /port "123456"/],
    [':5000', /host name is empty/],
    ['[::1', /closed with "]"/],
    ['[::1]5000', /only ":PORT"/],
    ['[1.2.3.4]', /not an IPv6 address/],
  ])('refuses %s', (host, problem) => {
    expect(registryHostProblem(host)).toMatch(problem);
  });
});
