import { describe, expect, it } from 'vitest';
import { AppError } from '../kernel/index.js';
import { parseRegistryConfig } from './config-file.js';

function problem(text: string): string {
  try {
    parseRegistryConfig(text, 'registry.yaml');
  } catch (error) {
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe('CONFIG_INVALID');
    return (error as AppError).message;
  }
  throw new Error('expected the configuration to be refused');
}

describe('parseRegistryConfig', () => {
  it('applies defaults to an empty document', () => {
    const config = parseRegistryConfig('', 'registry.yaml');
    expect(config.limits.manifestMaxBytes).toBe(4 * 1024 * 1024);
    expect(config.limits.uploadExpiry).toBe(24 * 3_600_000);
    expect(config.storage.fsync).toBe(true);
    expect(config.auth).toBeUndefined();
  });

  it('reads durations and the optional header', () => {
    const config = parseRegistryConfig(
      'apiVersion: airlock.dev/v1\nkind: RegistryConfig\nlimits:\n  uploadExpiry: 1h30m\nauth:\n  tokenTtl: 90s\n',
      'r.yaml',
    );
    expect(config.limits.uploadExpiry).toBe(90 * 60_000);
    expect(config.auth?.tokenTtl).toBe(90_000);
    expect(config.auth?.service).toBe('airlock-registry');
  });

  it('names file, line, column and field of a wrong value', () => {
    const text = [
      'auth:',
      '  users:',
      '    - name: alice',
      '      passwordHash: plain-text-password',
      '',
    ].join('\n');
    expect(problem(text)).toMatch(
      /registry\.yaml:4:21: auth\.users\[0\]\.passwordHash: must be a hash printed by `airlock registry hash-password`/,
    );
  });

  it('points at unknown keys (typos must not silently drop security settings)', () => {
    expect(problem('limits:\n  manifestMaxByte: 10\n')).toMatch(
      /registry\.yaml:2:3: limits\.manifestMaxByte: /,
    );
  });

  it('refuses duplicate principals, bad globs, durations and kinds', () => {
    const hash = '$sha256$' + 'a'.repeat(64);
    expect(
      problem(
        `auth:\n  robots:\n    - { name: ci, tokenHash: '${hash}' }\n    - { name: ci, tokenHash: '${hash}' }\n`,
      ),
    ).toMatch(/auth\.robots\[1\]\.name: "ci" is already defined at auth\.robots\[0\]/);
    expect(problem('auth: {}\nnamespaces:\n  - match: Golden/**\n')).toMatch(/namespaces\[0\]\.match/);
    expect(problem('limits:\n  uploadExpiry: forever\n')).toMatch(
      /registry\.yaml:2:17: limits\.uploadExpiry: invalid duration "forever"/,
    );
    expect(problem('kind: Workflow\n')).toMatch(/registry\.yaml:1:7: kind must be RegistryConfig/);
    expect(problem('namespaces:\n  - match: golden/**\n')).toMatch(/namespaces need an auth section/);
    expect(problem(`auth:\n  robots:\n    - { name: anonymous, tokenHash: '${hash}' }\n`)).toMatch(
      /auth\.robots\[0\]\.name: is reserved/,
    );
  });

  it('reports YAML syntax errors with their position', () => {
    expect(problem('auth:\n  users: [\n')).toMatch(/^registry\.yaml:\d+:\d+: /);
  });
});
