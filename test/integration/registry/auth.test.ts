import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Clock } from '../../../src/kernel/index.js';
import { hashPassword, hashRobotToken } from '../../../src/registry/index.js';
import { type AirlockRegistry, startAirlockRegistry } from '../../harness/airlock-registry.js';
import {
  makeTempDir,
  requireTools,
  skopeoCopy,
  skopeoInspectRaw,
  type TempDir,
} from '../../harness/index.js';
import { type BuiltManifest, blobOf, makeImage, seededBytes, writeLayout } from './support/fixtures.js';
import { call, errorCode, header, pushBlob, pushImage } from './support/http.js';

const ROBOT_TOKEN = 'alr_test-robot-token-0123456789abcdefghijklmnop';
const alice = { username: 'alice', password: 'alice-secret' };
const bob = { username: 'bob', password: 'bob-secret' };
const robot = { username: 'airlock', password: ROBOT_TOKEN };

let registry: AirlockRegistry;
let base: string;
let now = Date.UTC(2026, 0, 1);
const clock: Clock = { now: () => now, sleep: () => Promise.resolve() };

beforeAll(async () => {
  registry = await startAirlockRegistry({
    clock,
    config: {
      auth: {
        users: [
          { name: 'alice', passwordHash: await hashPassword(alice.password), roles: ['quarantine'] },
          { name: 'bob', passwordHash: await hashPassword(bob.password), roles: ['consumer'] },
        ],
        robots: [{ name: 'airlock', tokenHash: hashRobotToken(ROBOT_TOKEN), roles: ['airlock'] }],
      },
      namespaces: [
        {
          match: 'quarantine/**',
          roles: { quarantine: ['pull', 'push'], airlock: ['pull', 'push', 'delete'] },
        },
        {
          match: 'golden/**',
          anonymousPull: true,
          roles: { consumer: ['pull'], airlock: ['pull', 'push', 'delete'] },
        },
      ],
    },
  });
  base = registry.url;
});
afterAll(() => registry.stop());

async function token(
  scopes: string[],
  creds?: { username: string; password: string },
): Promise<{ status: number; token?: string; access?: unknown }> {
  const query = scopes.map((s) => `scope=${encodeURIComponent(s)}`).join('&');
  const headers: Record<string, string> = creds
    ? { authorization: `Basic ${Buffer.from(`${creds.username}:${creds.password}`).toString('base64')}` }
    : {};
  const reply = await call(base, 'GET', `/token?service=airlock-registry&${query}`, { headers });
  const body = reply.json as { token?: string } | undefined;
  return {
    status: reply.status,
    token: body?.token,
    access: body?.token ? claims(body.token).access : undefined,
  };
}

function claims(jwt: string): {
  access: { type: string; name: string; actions: string[] }[];
  sub: string;
  exp: number;
  iat: number;
} {
  return JSON.parse(Buffer.from(jwt.split('.')[1]!, 'base64url').toString('utf8')) as ReturnType<
    typeof claims
  >;
}

describe('token auth the way Docker clients expect it', () => {
  it('challenges /v2/ without a token with realm and service', async () => {
    const reply = await call(base, 'GET', '/v2/');
    expect(reply.status).toBe(401);
    expect(errorCode(reply)).toBe('UNAUTHORIZED');
    expect(header(reply, 'www-authenticate')).toBe(`Bearer realm="${base}/token",service="airlock-registry"`);
  });

  it('challenges a pull with the scope it needs', async () => {
    const reply = await call(base, 'GET', '/v2/quarantine/app/manifests/v1');
    expect(reply.status).toBe(401);
    expect(header(reply, 'www-authenticate')).toBe(
      `Bearer realm="${base}/token",service="airlock-registry",scope="repository:quarantine/app:pull"`,
    );
    const push = await call(base, 'POST', '/v2/quarantine/app/blobs/uploads/');
    expect(header(push, 'www-authenticate')).toContain('scope="repository:quarantine/app:pull,push"');
  });

  it('grants the intersection of what is asked and what the namespace allows', async () => {
    const aliceToken = await token(
      ['repository:quarantine/app:pull,push,delete', 'repository:golden/app:pull,push'],
      alice,
    );
    expect(aliceToken.status).toBe(200);
    expect(aliceToken.access).toEqual([
      { type: 'repository', name: 'quarantine/app', actions: ['pull', 'push'] },
      { type: 'repository', name: 'golden/app', actions: ['pull'] },
    ]);
    const anonymous = await token(['repository:quarantine/app:pull', 'repository:golden/app:pull']);
    expect(anonymous.access).toEqual([{ type: 'repository', name: 'golden/app', actions: ['pull'] }]);
    expect(claims(anonymous.token!).sub).toBe('anonymous');
  });

  it('refuses wrong passwords and unknown users with 401 UNAUTHORIZED', async () => {
    const wrong = await call(base, 'GET', '/token?scope=repository:golden/app:pull', {
      headers: { authorization: `Basic ${Buffer.from('alice:nope').toString('base64')}` },
    });
    expect(wrong.status).toBe(401);
    expect(errorCode(wrong)).toBe('UNAUTHORIZED');
    const unknown = await call(base, 'GET', '/token', {
      headers: { authorization: `Basic ${Buffer.from('mallory:x').toString('base64')}` },
    });
    expect(unknown.status).toBe(401);
  });

  it('lets a user push and pull with a token, and the token works for nothing else', async () => {
    const { token: jwt } = await token(['repository:quarantine/app:pull,push'], alice);
    const image = await makeImage({ seed: 70 });
    await pushImage(base, 'quarantine/app', 'v1', image, jwt);
    const pulled = await call(base, 'GET', '/v2/quarantine/app/manifests/v1', { token: jwt });
    expect(pulled.status).toBe(200);
    const elsewhere = await call(base, 'GET', '/v2/quarantine/other/manifests/v1', { token: jwt });
    expect(elsewhere.status).toBe(401);
    expect(header(elsewhere, 'www-authenticate')).toContain('error="insufficient_scope"');
  });

  it('answers 403 DENIED when the principal may never do it (no point asking for another token)', async () => {
    const { token: jwt } = await token(['repository:quarantine/app:pull'], bob);
    const reply = await call(base, 'GET', '/v2/quarantine/app/manifests/v1', { token: jwt });
    expect(reply.status).toBe(403);
    expect(errorCode(reply)).toBe('DENIED');
    expect((reply.json as { errors: { message: string }[] }).errors[0]!.message).toContain('quarantine/**');
  });

  it('serves anonymous pulls where the namespace allows them, without a token', async () => {
    const { token: jwt } = await token(['repository:golden/app:pull,push'], robot);
    const image = await makeImage({ seed: 71 });
    await pushImage(base, 'golden/app', 'v1', image, jwt);
    const anonymous = await call(base, 'GET', '/v2/golden/app/manifests/v1');
    expect(anonymous.status).toBe(200);
    const push = await call(base, 'POST', '/v2/golden/app/blobs/uploads/');
    expect(push.status).toBe(401);
  });

  it('rejects tampered and expired tokens with invalid_token', async () => {
    const { token: jwt } = await token(['repository:golden/app:pull'], bob);
    const [h, p, s] = jwt!.split('.');
    const forged = Buffer.from(
      JSON.stringify({
        ...claims(jwt!),
        access: [{ type: 'repository', name: 'quarantine/app', actions: ['pull'] }],
      }),
    ).toString('base64url');
    const tampered = await call(base, 'GET', '/v2/quarantine/app/manifests/v1', {
      token: `${h}.${forged}.${s}`,
    });
    expect(tampered.status).toBe(401);
    expect(header(tampered, 'www-authenticate')).toContain('error="invalid_token"');
    expect(p).toBeDefined();

    const valid = await call(base, 'GET', '/v2/golden/app/manifests/v1', { token: jwt });
    expect(valid.status).toBe(200);
    now += (5 * 60 + 61) * 1000;
    const expired = await call(base, 'GET', '/v2/golden/app/manifests/v1', { token: jwt });
    expect(expired.status).toBe(401);
    expect(header(expired, 'www-authenticate')).toContain('error="invalid_token"');
  });

  it('supports the OAuth2 password and refresh_token grants', async () => {
    const form = new URLSearchParams({
      grant_type: 'password',
      username: alice.username,
      password: alice.password,
      service: 'airlock-registry',
      client_id: 'test',
      access_type: 'offline',
      scope: 'repository:quarantine/app:pull repository:golden/app:pull',
    });
    const reply = await call(base, 'POST', '/token', {
      body: form.toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(reply.status).toBe(200);
    const body = reply.json as {
      access_token: string;
      refresh_token: string;
      expires_in: number;
      scope: string;
    };
    expect(body.expires_in).toBe(300);
    expect(body.scope).toBe('repository:quarantine/app:pull repository:golden/app:pull');
    expect(body.refresh_token).toBeDefined();
    // A refresh token is not an access token.
    expect(
      (await call(base, 'GET', '/v2/golden/app/manifests/v1', { token: body.refresh_token })).status,
    ).toBe(401);

    const refreshed = await call(base, 'POST', '/token', {
      body: new URLSearchParams({
        grant_type: 'refresh_token',
        refresh_token: body.refresh_token,
        scope: 'repository:quarantine/app:push',
      }).toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(refreshed.status).toBe(200);
    expect(claims((refreshed.json as { access_token: string }).access_token).access).toEqual([
      { type: 'repository', name: 'quarantine/app', actions: ['push'] },
    ]);
    const bad = await call(base, 'POST', '/token', {
      body: 'grant_type=refresh_token&refresh_token=garbage',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(bad.status).toBe(401);
  });

  it('lists in the catalog only what the caller may pull', async () => {
    const anonymous = await call(base, 'GET', '/v2/_catalog');
    expect(anonymous.status).toBe(401);
    expect(header(anonymous, 'www-authenticate')).toContain('scope="registry:catalog:*"');
    const { token: jwt } = await token(['registry:catalog:*'], bob);
    const reply = await call(base, 'GET', '/v2/_catalog', { token: jwt });
    expect(reply.status).toBe(200);
    const repos = (reply.json as { repositories: string[] }).repositories;
    expect(repos).toContain('golden/app');
    expect(repos.some((r) => r.startsWith('quarantine/'))).toBe(false);
  });

  it('mounts across namespaces only with pull access to the source', async () => {
    const blob = blobOf(seededBytes(72, 500), 'application/octet-stream');
    const { token: aliceToken } = await token(['repository:quarantine/mount:pull,push'], alice);
    await pushBlob(base, 'quarantine/mount', blob, aliceToken);
    const { token: robotToken } = await token(
      ['repository:golden/mount:pull,push', 'repository:quarantine/mount:pull'],
      robot,
    );
    const mounted = await call(
      base,
      'POST',
      `/v2/golden/mount/blobs/uploads/?mount=${blob.digest}&from=quarantine/mount`,
      { token: robotToken },
    );
    expect(mounted.status).toBe(201);
    // A token without pull on the source gets an upload session instead.
    const { token: pushOnly } = await token(['repository:golden/mount2:pull,push'], robot);
    const session = await call(
      base,
      'POST',
      `/v2/golden/mount2/blobs/uploads/?mount=${blob.digest}&from=quarantine/mount`,
      { token: pushOnly },
    );
    expect(session.status).toBe(202);
  });

  it('keeps the token signing key private to the owner', async () => {
    const info = await stat(join(registry.root, 'auth', 'token-signing-key.pem'));
    expect(info.mode & 0o777).toBe(0o600);
  });
});

const describeWith = requireTools('skopeo');

describeWith('skopeo with token auth', () => {
  let dir: TempDir;
  let image: BuiltManifest;

  beforeAll(async () => {
    dir = await makeTempDir('registry-auth-skopeo');
    image = await makeImage({ seed: 73, layers: 2, layerSize: 50_000 });
    await writeLayout(dir.path, { image });
  });
  afterAll(() => dir?.remove());

  it('pushes with --dest-creds into the quarantine, promotes with the robot, pulls anonymously from golden', async () => {
    await skopeoCopy(`oci:${dir.path}:image`, `${registry.address}/quarantine/sk:v1`, {
      destCreds: alice,
      preserveDigests: true,
    });
    await skopeoCopy(`${registry.address}/quarantine/sk:v1`, `${registry.address}/golden/sk:v1`, {
      srcCreds: robot,
      destCreds: robot,
    });
    const raw = await skopeoInspectRaw(`${registry.address}/golden/sk:v1`);
    expect(raw.equals(image.bytes)).toBe(true);
  });

  it('reports denied and unauthorized pushes', async () => {
    await expect(
      skopeoCopy(`oci:${dir.path}:image`, `${registry.address}/golden/sk:evil`, { destCreds: bob }),
    ).rejects.toThrow(/denied/i);
    await expect(
      skopeoCopy(`oci:${dir.path}:image`, `${registry.address}/quarantine/sk:anon`),
    ).rejects.toThrow(/denied|unauthorized|authentication required/i);
    await expect(skopeoInspectRaw(`${registry.address}/quarantine/sk:v1`)).rejects.toThrow(
      /unauthorized|authentication required/i,
    );
  });
});
