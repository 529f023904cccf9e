import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../kernel/index.js';
import { formatPlatform, normalizePlatform, parsePlatform, platformMatches } from './platform.js';
import type { Platform } from './types.js';

describe('parsePlatform', () => {
  it.each([
    ['linux/amd64', { os: 'linux', architecture: 'amd64' }],
    ['linux/x86_64', { os: 'linux', architecture: 'amd64' }],
    ['linux/aarch64', { os: 'linux', architecture: 'arm64' }],
    ['linux/arm64/v8', { os: 'linux', architecture: 'arm64' }],
    ['linux/arm64/8', { os: 'linux', architecture: 'arm64' }],
    ['linux/arm64/v9', { os: 'linux', architecture: 'arm64', variant: 'v9' }],
    ['linux/arm', { os: 'linux', architecture: 'arm', variant: 'v7' }],
    ['linux/arm/6', { os: 'linux', architecture: 'arm', variant: 'v6' }],
    ['linux/armhf', { os: 'linux', architecture: 'arm', variant: 'v7' }],
    ['linux/armel', { os: 'linux', architecture: 'arm', variant: 'v6' }],
    ['linux/i386', { os: 'linux', architecture: '386' }],
    ['linux/amd64/v1', { os: 'linux', architecture: 'amd64' }],
    ['linux/amd64/v3', { os: 'linux', architecture: 'amd64', variant: 'v3' }],
    [' Linux/AMD64 ', { os: 'linux', architecture: 'amd64' }],
    ['windows/amd64', { os: 'windows', architecture: 'amd64' }],
  ])('%s', (text, expected) => {
    expect(parsePlatform(text)).toEqual(expected);
  });

  it('refuses malformed text with an example', () => {
    for (const text of [
      '',
      'linux',
      'linux/',
      '/amd64',
      'linux/amd64/v8/extra',
      'linux/amd 64',
      'linux//v7',
    ]) {
      let error: unknown;
      try {
        parsePlatform(text);
      } catch (e) {
        error = e;
      }
      expect(error, text).toBeInstanceOf(AppError);
      expect((error as AppError).code).toBe('USAGE_INVALID');
      expect((error as AppError).message).toContain('e.g. linux/amd64');
    }
  });
});

describe('formatPlatform', () => {
  it('writes os/architecture[/variant]', () => {
    expect(formatPlatform({ os: 'linux', architecture: 'amd64' })).toBe('linux/amd64');
    expect(formatPlatform({ os: 'linux', architecture: 'arm', variant: 'v7' })).toBe('linux/arm/v7');
  });

  it('round-trips canonical platforms through parsePlatform', () => {
    const canonical = fc
      .record({
        os: fc.constantFrom('linux', 'windows', 'darwin', 'freebsd'),
        architecture: fc.constantFrom('amd64', 'arm64', 'arm', 'ppc64le', 's390x', 'riscv64', '386'),
        variant: fc.option(fc.constantFrom('v5', 'v6', 'v7', 'v8', 'v9', 'v2', 'v3')),
      })
      .map(({ os, architecture, variant }) =>
        normalizePlatform(variant === null ? { os, architecture } : { os, architecture, variant }),
      );
    fc.assert(
      fc.property(canonical, (platform) => {
        expect(parsePlatform(formatPlatform(platform))).toEqual(platform);
      }),
    );
  });
});

describe('normalizePlatform', () => {
  it('is idempotent', () => {
    const any = fc.record(
      {
        os: fc.constantFrom('linux', 'Linux', 'windows'),
        architecture: fc.constantFrom(
          'amd64',
          'x86_64',
          'x86-64',
          'aarch64',
          'arm64',
          'arm',
          'armhf',
          'armel',
          'i386',
        ),
        variant: fc.constantFrom('v1', 'v5', '6', 'v7', '8', 'v8', 'v9'),
      },
      { requiredKeys: ['os', 'architecture'] },
    );
    fc.assert(
      fc.property(any, (platform) => {
        const once = normalizePlatform(platform);
        expect(normalizePlatform(once)).toEqual(once);
      }),
    );
  });

  it('keeps the other platform fields and does not modify its argument', () => {
    const platform: Platform = {
      os: 'windows',
      architecture: 'x86_64',
      'os.version': '10.0.20348.2582',
      'os.features': ['win32k'],
    };
    const copy = structuredClone(platform);
    expect(normalizePlatform(platform)).toEqual({ ...platform, architecture: 'amd64' });
    expect(platform).toEqual(copy);
  });
});

describe('platformMatches', () => {
  const p = (text: string): Platform => {
    const [os, architecture, variant] = text.split('/');
    return variant === undefined
      ? { os: os!, architecture: architecture! }
      : { os: os!, architecture: architecture!, variant };
  };

  it.each([
    // wanted, candidate, matches
    ['linux/amd64', 'linux/amd64', true],
    ['linux/amd64', 'linux/x86_64', true],
    ['linux/amd64', 'linux/amd64/v3', true],
    ['linux/amd64/v3', 'linux/amd64', false],
    ['linux/amd64', 'windows/amd64', false],
    ['linux/amd64', 'linux/arm64', false],
    ['linux/arm64', 'linux/arm64/v8', true],
    ['linux/arm64/v8', 'linux/arm64', true],
    ['linux/arm64/v8', 'linux/aarch64', true],
    ['linux/arm64', 'linux/arm64/v9', true],
    ['linux/arm64/v9', 'linux/arm64/v8', false],
    // arm variants are ABIs: a bare `arm` means v7, and v6 images do not satisfy it.
    ['linux/arm', 'linux/arm/v7', true],
    ['linux/arm', 'linux/arm', true],
    ['linux/arm', 'linux/arm/v6', false],
    ['linux/arm/v6', 'linux/arm/v7', false],
    ['linux/arm/v7', 'linux/arm/7', true],
    ['linux/arm/v7', 'linux/armhf', true],
  ])('%s wanted, %s offered → %s', (wanted, candidate, expected) => {
    expect(platformMatches(p(wanted), p(candidate))).toBe(expected);
  });

  it('matches nothing without a candidate platform', () => {
    expect(platformMatches(p('linux/amd64'), undefined)).toBe(false);
  });
});
