import { describe, expect, it } from 'vitest';
import { AppError } from '../../../kernel/index.js';
import { StaticCredentials, credentialsFromEnv } from './static-credentials.js';

describe('StaticCredentials', () => {
  it('matches registries by canonical name, whatever form the key was written in', async () => {
    const provider = new StaticCredentials({
      'https://index.docker.io/v1/': { kind: 'basic', username: 'hub', password: 'x' },
      'GHCR.io': { kind: 'registry-token', token: 't' },
    });
    expect(await provider.get('registry-1.docker.io')).toMatchObject({ username: 'hub' });
    expect(await provider.get('ghcr.io')).toEqual({ kind: 'registry-token', token: 't' });
    expect(await provider.get('quay.io')).toBeUndefined();
    expect(provider.registries.sort()).toEqual(['docker.io', 'ghcr.io']);
  });

  it('refuses a key that is not a registry host', () => {
    expect(() => new StaticCredentials({ 'not a host': { kind: 'registry-token', token: 't' } })).toThrow(
      AppError,
    );
  });
});

describe('credentialsFromEnv', () => {
  it('reads AIRLOCK_REGISTRY_AUTH as config.json-style entries', async () => {
    const provider = credentialsFromEnv({
      AIRLOCK_REGISTRY_AUTH: JSON.stringify({
        'ghcr.io': { username: 'bot', password: 'pa:ss' },
        'myacr.azurecr.io': { identitytoken: 'refresh' },
        'index.docker.io': { auth: Buffer.from('hub:x').toString('base64') },
      }),
    });
    expect(await provider.get('ghcr.io')).toEqual({ kind: 'basic', username: 'bot', password: 'pa:ss' });
    expect(await provider.get('myacr.azurecr.io')).toEqual({ kind: 'identity-token', token: 'refresh' });
    expect(await provider.get('docker.io')).toMatchObject({ username: 'hub' });
  });

  it('has no credentials when the variable is unset or empty', async () => {
    expect(await credentialsFromEnv({}).get('ghcr.io')).toBeUndefined();
    expect(await credentialsFromEnv({ AIRLOCK_REGISTRY_AUTH: ' ' }).get('ghcr.io')).toBeUndefined();
  });

  it('names the variable and entry that is wrong, never the secret', () => {
    const errorOf = (value: string) => {
      try {
        credentialsFromEnv({ AIRLOCK_REGISTRY_AUTH: value });
      } catch (error) {
        expect((error as AppError).code).toBe('AUTH_CONFIG_INVALID');
        return (error as AppError).message;
      }
      throw new Error('expected an error');
    };
    expect(errorOf('{"ghcr.io": {"password": "s3cret"')).toMatch(/^AIRLOCK_REGISTRY_AUTH is not valid JSON/);
    expect(errorOf('{"ghcr.io": {"password": "s3cret"')).not.toContain('s3cret');
    expect(errorOf('["x"]')).toContain('must be a JSON object');
    expect(errorOf('{"ghcr.io": {"username": 1}}')).toBe(
      'AIRLOCK_REGISTRY_AUTH["ghcr.io"].username must be a string',
    );
    expect(errorOf('{"ghcr.io": {}}')).toContain('AIRLOCK_REGISTRY_AUTH["ghcr.io"] holds no credentials');
  });
});
