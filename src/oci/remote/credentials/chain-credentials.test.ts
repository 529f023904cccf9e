import { describe, expect, it } from 'vitest';
import { AppError } from '../../../kernel/index.js';
import { ChainCredentials } from './chain-credentials.js';
import type { CredentialProvider } from './credential.js';
import { StaticCredentials } from './static-credentials.js';

const failing: CredentialProvider = {
  get: () => Promise.reject(new AppError('AUTH_CREDENTIAL_HELPER_FAILED', 'helper broke')),
};

describe('ChainCredentials', () => {
  it('answers with the first provider that has credentials', async () => {
    const chain = new ChainCredentials([
      new StaticCredentials({ 'ghcr.io': { kind: 'basic', username: 'first', password: 'x' } }),
      new StaticCredentials({
        'ghcr.io': { kind: 'basic', username: 'second', password: 'x' },
        'quay.io': { kind: 'basic', username: 'only-second', password: 'x' },
      }),
    ]);
    expect(await chain.get('ghcr.io')).toMatchObject({ username: 'first' });
    expect(await chain.get('quay.io')).toMatchObject({ username: 'only-second' });
    expect(await chain.get('docker.io')).toBeUndefined();
  });

  it('stops at a failing provider instead of asking later ones', async () => {
    const chain = new ChainCredentials([
      failing,
      new StaticCredentials({ 'ghcr.io': { kind: 'basic', username: 'later', password: 'x' } }),
    ]);
    await expect(chain.get('ghcr.io')).rejects.toMatchObject({ code: 'AUTH_CREDENTIAL_HELPER_FAILED' });
  });

  it('does not ask a provider after an earlier one answered', async () => {
    const chain = new ChainCredentials([
      new StaticCredentials({ 'ghcr.io': { kind: 'registry-token', token: 't' } }),
      failing,
    ]);
    expect(await chain.get('ghcr.io')).toEqual({ kind: 'registry-token', token: 't' });
  });

  it('honours an aborted signal', async () => {
    const chain = new ChainCredentials([new StaticCredentials({})]);
    await expect(chain.get('ghcr.io', { signal: AbortSignal.abort() })).rejects.toMatchObject({
      code: 'ABORTED',
    });
  });
});
