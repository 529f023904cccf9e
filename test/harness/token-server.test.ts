import { verify, X509Certificate } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { request } from 'undici';
import { decodeRegistryToken, requireTools, startTokenServer, type TokenServer } from './index.js';

const describeWith = requireTools('openssl');

interface TokenAnswer {
  token?: string;
  access_token?: string;
  expires_in?: number;
  issued_at?: string;
  refresh_token?: string;
}

describeWith('token server', () => {
  let server: TokenServer;

  beforeAll(async () => {
    server = await startTokenServer({
      users: {
        alice: 'pw-alice',
        reader: { password: 'pw-reader', access: [{ repository: 'team/**', actions: ['pull'] }] },
        robot: { password: 'unused', identityToken: 'identity-123' },
      },
      anonymousPull: ['public/*'],
    });
  });
  afterAll(async () => {
    await server?.stop();
  });
  afterEach(() => {
    server.configure({ expiresIn: 300, issuedAt: 'now', tokenField: undefined });
    server.clearRequests();
  });

  async function get(query: string, authorization?: string): Promise<{ status: number; body: TokenAnswer }> {
    const response = await request(`${server.realm}?service=${server.service}&${query}`, {
      headers: authorization ? { authorization } : {},
    });
    return { status: response.statusCode, body: (await response.body.json()) as TokenAnswer };
  }

  async function post(
    form: Record<string, string | string[]>,
  ): Promise<{ status: number; body: TokenAnswer }> {
    const params = new URLSearchParams();
    for (const [name, value] of Object.entries(form)) for (const v of [value].flat()) params.append(name, v);
    const response = await request(server.realm, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: params.toString(),
    });
    return { status: response.statusCode, body: (await response.body.json()) as TokenAnswer };
  }

  const basic = (user: string, password: string) =>
    `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

  it('signs ES256 tokens with the x5c certificate and the distribution claim set', async () => {
    const { status, body } = await get('scope=repository:team/app:pull,push', basic('alice', 'pw-alice'));
    expect(status).toBe(200);
    const { header, claims } = decodeRegistryToken(body.token!);
    const certificate = new X509Certificate(await readFile(server.certificatePath));
    expect(header).toMatchObject({ typ: 'JWT', alg: 'ES256', x5c: [certificate.raw.toString('base64')] });
    const [h, c, s] = body.token!.split('.');
    const valid = verify(
      'sha256',
      Buffer.from(`${h}.${c}`),
      { key: certificate.publicKey, dsaEncoding: 'ieee-p1363' },
      Buffer.from(s!, 'base64url'),
    );
    expect(valid).toBe(true);
    expect(claims).toMatchObject({ iss: server.issuer, sub: 'alice', aud: server.service });
    expect(claims.exp - claims.iat).toBe(300);
    expect(claims.access).toEqual([{ type: 'repository', name: 'team/app', actions: ['pull', 'push'] }]);
  });

  it('grants anonymous pulls only for listed repositories, and one entry per scope', async () => {
    const { body } = await get(
      'scope=repository:public/a:pull,push&scope=repository:private/b:pull&scope=repository:public/a/b:pull',
    );
    expect(decodeRegistryToken(body.token!).claims.access).toEqual([
      { type: 'repository', name: 'public/a', actions: ['pull'] },
    ]);
    expect(decodeRegistryToken(body.token!).claims.sub).toBe('');
    expect(server.requests[0]).toMatchObject({
      authScheme: undefined,
      scopes: expect.arrayContaining(['repository:private/b:pull']),
    });
  });

  it('limits users to their access rules and keeps the catalog for authenticated users', async () => {
    const { body } = await get(
      'scope=repository:team/x/y:pull,push&scope=repository:other:pull&scope=registry:catalog:*',
      basic('reader', 'pw-reader'),
    );
    expect(decodeRegistryToken(body.token!).claims.access).toEqual([
      { type: 'repository', name: 'team/x/y', actions: ['pull'] },
      { type: 'registry', name: 'catalog', actions: ['*'] },
    ]);
    const anonymous = await get('scope=registry:catalog:*');
    expect(decodeRegistryToken(anonymous.body.token!).claims.access).toEqual([]);
  });

  it('refuses wrong credentials, foreign schemes and malformed scopes', async () => {
    expect((await get('scope=repository:a:pull', basic('alice', 'nope'))).status).toBe(401);
    expect((await get('scope=repository:a:pull', basic('nobody', 'x'))).status).toBe(401);
    expect((await get('scope=repository:a:pull', 'Bearer abc')).status).toBe(401);
    expect((await get('scope=repository-only')).status).toBe(400);
    expect(server.requests.map((r) => r.status)).toEqual([401, 401, 401, 400]);
  });

  it('exchanges a password for an offline refresh token, and that for access tokens (OAuth2 POST)', async () => {
    const first = await post({
      grant_type: 'password',
      username: 'alice',
      password: 'pw-alice',
      access_type: 'offline',
      scope: 'repository:a:pull repository:b:push',
      client_id: 'test',
    });
    expect(first.status).toBe(200);
    expect(first.body.token).toBeUndefined();
    expect(decodeRegistryToken(first.body.access_token!).claims.access.map((a) => a.name)).toEqual([
      'a',
      'b',
    ]);
    expect(first.body.refresh_token).toMatch(/.{20,}/);

    const second = await post({
      grant_type: 'refresh_token',
      refresh_token: first.body.refresh_token!,
      scope: 'repository:c:pull',
    });
    expect(second.status).toBe(200);
    expect(decodeRegistryToken(second.body.access_token!).claims).toMatchObject({ sub: 'alice' });
    expect(second.body.refresh_token).toBeUndefined();

    const params = server.requests.flatMap((r) => r.params);
    expect(params).toContainEqual(['password', '[REDACTED]']);
    expect(params).toContainEqual(['refresh_token', '[REDACTED]']);
    expect(JSON.stringify(server.requests)).not.toContain('pw-alice');
  });

  it('accepts configured identity tokens and refuses unknown ones and other grants', async () => {
    const robot = await post({
      grant_type: 'refresh_token',
      refresh_token: 'identity-123',
      scope: 'repository:a:pull',
    });
    expect(decodeRegistryToken(robot.body.access_token!).claims.sub).toBe('robot');
    expect((await post({ grant_type: 'refresh_token', refresh_token: 'made-up' })).status).toBe(401);
    expect((await post({ grant_type: 'password', username: 'alice', password: 'wrong' })).status).toBe(401);
    expect((await post({ grant_type: 'client_credentials' })).status).toBe(400);
  });

  it('hands out offline tokens on GET with offline_token=true', async () => {
    const { body } = await get('scope=repository:a:pull&offline_token=true', basic('alice', 'pw-alice'));
    const refreshed = await post({ grant_type: 'refresh_token', refresh_token: body.refresh_token! });
    expect(refreshed.status).toBe(200);
  });

  it('answers with the configured token field, expiry and issue time', async () => {
    server.configure({ tokenField: 'token', expiresIn: 'omit', issuedAt: new Date('2020-02-02T00:00:00Z') });
    const { body } = await get('scope=repository:public/a:pull');
    expect(Object.keys(body).sort()).toEqual(['issued_at', 'token']);
    expect(body.issued_at).toBe('2020-02-02T00:00:00.000Z');
    const claims = decodeRegistryToken(body.token!).claims;
    expect(claims.exp - claims.iat).toBe(60);

    server.configure({ tokenField: 'access_token', expiresIn: 5, issuedAt: 'omit' });
    expect(Object.keys((await get('scope=repository:public/a:pull')).body).sort()).toEqual([
      'access_token',
      'expires_in',
    ]);
  });
});
