import { generateKeyPairSync } from 'node:crypto';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { grants, signJwt, type TokenClaims, verifyJwt } from './jwt.js';
import { loadOrCreateSigningKey } from './signing-key.js';

const now = 1_800_000_000;
const claims: TokenClaims = {
  iss: 'airlock-registry',
  sub: 'alice',
  aud: 'airlock-registry',
  exp: now + 300,
  nbf: now,
  iat: now,
  jti: 'x',
  access: [{ type: 'repository', name: 'golden/app', actions: ['pull'] }],
};
const options = { issuer: 'airlock-registry', audience: 'airlock-registry', now };

describe('ES256 tokens', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'airlock-jwt-'));
  const key = await loadOrCreateSigningKey(dir);

  it('round-trips and grants exactly what the access claim says', () => {
    const verified = verifyJwt(signJwt(claims, key), key, options)!;
    expect(verified.sub).toBe('alice');
    expect(grants(verified, 'repository', 'golden/app', 'pull')).toBe(true);
    expect(grants(verified, 'repository', 'golden/app', 'push')).toBe(false);
    expect(grants(verified, 'repository', 'golden/other', 'pull')).toBe(false);
  });

  it('refuses tampered, foreign, unsigned, expired and misaddressed tokens', () => {
    const token = signJwt(claims, key);
    const [header, , signature] = token.split('.');
    const forged = Buffer.from(JSON.stringify({ ...claims, sub: 'admin' })).toString('base64url');
    expect(verifyJwt(`${header}.${forged}.${signature}`, key, options)).toBeUndefined();
    const none = Buffer.from(JSON.stringify({ alg: 'none', kid: key.keyId })).toString('base64url');
    expect(verifyJwt(`${none}.${token.split('.')[1]}.`, key, options)).toBeUndefined();
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    expect(
      verifyJwt(signJwt(claims, { privateKey, publicKey, keyId: key.keyId }), key, options),
    ).toBeUndefined();
    expect(verifyJwt(token, key, { ...options, now: now + 300 + 61 })).toBeUndefined();
    expect(verifyJwt(token, key, { ...options, audience: 'other' })).toBeUndefined();
    expect(verifyJwt('not.a.jwt', key, options)).toBeUndefined();
  });

  it('keeps one key per storage, readable only by its owner', async () => {
    const again = await loadOrCreateSigningKey(dir);
    expect(again.keyId).toBe(key.keyId);
    expect((await stat(join(dir, 'token-signing-key.pem'))).mode & 0o777).toBe(0o600);
    const racing = await mkdtemp(join(tmpdir(), 'airlock-jwt-race-'));
    const keys = await Promise.all(Array.from({ length: 8 }, () => loadOrCreateSigningKey(racing)));
    expect(new Set(keys.map((k) => k.keyId)).size).toBe(1);
    await rm(racing, { recursive: true, force: true });
    await rm(dir, { recursive: true, force: true });
  });
});
