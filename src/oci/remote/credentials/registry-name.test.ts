import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../../kernel/index.js';
import { canonicalRegistry, helperServerUrls, parseRegistryName, registryFromKey } from './registry-name.js';

const label = fc.stringMatching(/^[a-z0-9](?:[a-z0-9-]{0,10}[a-z0-9])?$/);
const host = fc
  .tuple(
    fc.array(label, { minLength: 1, maxLength: 4 }),
    fc.option(fc.integer({ min: 1, max: 65535 }), { nil: undefined }),
  )
  .map(([labels, port]) => `${labels.join('.')}${port === undefined ? '' : `:${port}`}`);

describe('canonicalRegistry', () => {
  it('maps the Docker Hub aliases to docker.io, lowercases and keeps ports', () => {
    expect(canonicalRegistry('index.docker.io')).toBe('docker.io');
    expect(canonicalRegistry('Registry-1.Docker.IO')).toBe('docker.io');
    expect(canonicalRegistry('docker.io')).toBe('docker.io');
    expect(canonicalRegistry('GHCR.io')).toBe('ghcr.io');
    expect(canonicalRegistry('localhost:5000')).toBe('localhost:5000');
    expect(canonicalRegistry('docker.io:443')).toBe('docker.io:443');
  });

  it('is idempotent', () => {
    fc.assert(fc.property(host, (h) => canonicalRegistry(canonicalRegistry(h)) === canonicalRegistry(h)));
  });
});

describe('registryFromKey', () => {
  it.each([
    ['https://index.docker.io/v1/', 'host', 'docker.io'],
    ['http://localhost:5000', 'host', 'localhost:5000'],
    ['registry.example.com/v2/', 'host', 'registry.example.com'],
    ['registry.example.com/team/app', 'host', 'registry.example.com'],
    ['[::1]:5000', 'host', '[::1]:5000'],
    ['https://quay.io', 'registry-only', 'quay.io'],
    ['https://quay.io/v1/', 'registry-only', 'quay.io'],
    ['quay.io', 'registry-only', 'quay.io'],
    ['quay.io/team/app', 'registry-only', undefined],
    ['not a host', 'host', undefined],
    ['', 'host', undefined],
    ['https://', 'host', undefined],
  ] as const)('%s (%s) names %s', (key, rule, expected) => {
    expect(registryFromKey(key, rule)).toBe(expected);
  });

  it('gives the same registry for a host and for the URLs Docker writes for it', () => {
    fc.assert(
      fc.property(
        host,
        fc.constantFrom('', '/', '/v1/', '/v2/'),
        fc.constantFrom('http://', 'https://', ''),
        (h, path, scheme) => {
          expect(registryFromKey(`${scheme}${h}${path}`, 'host')).toBe(canonicalRegistry(h));
        },
      ),
    );
  });
});

describe('parseRegistryName', () => {
  it('accepts hosts and the URL forms of docker login', () => {
    expect(parseRegistryName('ghcr.io')).toBe('ghcr.io');
    expect(parseRegistryName(' https://index.docker.io/v1/ ')).toBe('docker.io');
    expect(parseRegistryName('http://localhost:5000/')).toBe('localhost:5000');
    expect(parseRegistryName('Registry.Example.com/v2')).toBe('registry.example.com');
  });

  it.each(['ghcr.io/org', 'ftp://ghcr.io', '', 'user@ghcr.io', 'gh cr.io'])('refuses %j', (input) => {
    expect(() => parseRegistryName(input)).toThrow(AppError);
    try {
      parseRegistryName(input);
    } catch (error) {
      expect((error as AppError).code).toBe('USAGE_INVALID');
    }
  });
});

describe('helperServerUrls', () => {
  it("asks for Docker Hub under Docker's legacy key first", () => {
    expect(helperServerUrls('docker.io')[0]).toBe('https://index.docker.io/v1/');
    expect(helperServerUrls('ghcr.io')).toEqual(['ghcr.io']);
  });
});
