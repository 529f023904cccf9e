import { access } from 'node:fs/promises';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { request } from 'undici';
import {
  makeImage,
  makeIndex,
  makeLayer,
  pushFixtureToRegistry,
  writeFixtureLayout,
  type Fixture,
} from '../fixtures/index.js';
import {
  decodeRegistryToken,
  Fault,
  makeTempDir,
  requireTools,
  skopeoCopy,
  skopeoInspect,
  skopeoInspectRaw,
  skopeoListTags,
  SkopeoError,
  startDockerRegistry,
  startFaultProxy,
  startTokenAuthRegistry,
  type DockerRegistry,
  type TempDir,
  type TokenAuthRegistry,
} from './index.js';

const describeWith = requireTools('docker-registry', 'skopeo', 'htpasswd', 'openssl');

async function multiArchFixture(seed: string): Promise<Fixture> {
  const platforms = ['linux/amd64', 'linux/arm64'];
  const images = await Promise.all(
    platforms.map(async (platform) => {
      const layers = await Promise.all(
        [0, 1].map((i) => makeLayer({ seed: [seed, platform, i], size: 32 * 1024 })),
      );
      return makeImage({ layers, platform });
    }),
  );
  return makeIndex({ manifests: images, annotations: { 'org.opencontainers.image.title': seed } });
}

async function statusOf(url: string, headers: Record<string, string> = {}, method: 'GET' | 'POST' = 'GET') {
  const response = await request(url, { method, headers });
  await response.body.dump();
  return { status: response.statusCode, challenge: response.headers['www-authenticate'] };
}

function basic(username: string, password: string): string {
  return `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
}

let layout: TempDir;
let fixture: Fixture;

beforeAll(async () => {
  fixture = await multiArchFixture('harness-smoke');
  layout = await makeTempDir('layout');
  await writeFixtureLayout(fixture, layout.path, 'v1');
});

afterAll(async () => {
  await layout?.remove();
});

describeWith('docker-registry without auth', () => {
  let registry: DockerRegistry;
  beforeAll(async () => {
    registry = await startDockerRegistry();
  });
  afterAll(async () => {
    await registry?.stop();
  });

  it('answers the API version check on a loopback port', async () => {
    expect(registry.host).toMatch(/^127\.0\.0\.1:\d+$/);
    expect((await statusOf(`${registry.url}/v2/`)).status).toBe(200);
  });

  it('receives a multi-arch layout from skopeo and serves the manifests byte for byte', async () => {
    await skopeoCopy(`oci:${layout.path}:v1`, `${registry.host}/smoke/app:v1`, { preserveDigests: true });
    const raw = await skopeoInspectRaw(`${registry.host}/smoke/app:v1`);
    expect(Buffer.compare(raw, Buffer.from(fixture.root.bytes))).toBe(0);
    for (const manifest of fixture.manifests) {
      const child = await skopeoInspectRaw(`${registry.host}/smoke/app@${manifest.descriptor.digest}`);
      expect(Buffer.compare(child, Buffer.from(manifest.bytes))).toBe(0);
    }
    expect(await skopeoListTags(`${registry.host}/smoke/app`)).toEqual(['v1']);
  });

  it('keeps its content and its address across a restart', async () => {
    const host = registry.host;
    await registry.restart();
    expect(registry.host).toBe(host);
    const inspected = await skopeoInspect(`${registry.host}/smoke/app:v1`);
    expect(inspected.Architecture).toBe(process.arch === 'arm64' ? 'arm64' : 'amd64');
  });

  it('stops: the port closes and the directory is removed', async () => {
    const other = await startDockerRegistry();
    await other.stop();
    await expect(request(`${other.url}/v2/`)).rejects.toThrow();
    await expect(access(other.dataDir)).rejects.toThrow(/ENOENT/);
  });

  it('reports a failed start with the tail of the registry log', async () => {
    const auth = { mode: 'token', realm: 'http://127.0.0.1:9/token', service: 's', issuer: 'i' } as const;
    const failure = startDockerRegistry({
      auth: { ...auth, rootCertBundlePath: `${layout.path}/missing.pem` },
    });
    await expect(failure).rejects.toMatchObject({
      code: 'INTERNAL',
      message: expect.stringMatching(/did not start[\s\S]*root certificate bundle/),
    });
  });
});

describeWith('docker-registry with htpasswd', () => {
  let registry: DockerRegistry;
  const users = { alice: 'correct horse' };
  beforeAll(async () => {
    registry = await startDockerRegistry({ auth: { mode: 'htpasswd', users } });
  });
  afterAll(async () => {
    await registry?.stop();
  });

  it('refuses anonymous and wrong credentials and accepts the right ones', async () => {
    expect((await statusOf(`${registry.url}/v2/`)).status).toBe(401);
    expect((await statusOf(`${registry.url}/v2/`, { authorization: basic('alice', 'wrong') })).status).toBe(
      401,
    );
    expect(
      (await statusOf(`${registry.url}/v2/`, { authorization: basic('alice', users.alice) })).status,
    ).toBe(200);
  });

  it('receives a push from skopeo with credentials and from the fixture pusher', async () => {
    const creds = { username: 'alice', password: users.alice };
    await skopeoCopy(`oci:${layout.path}:v1`, `${registry.host}/private/app:v1`, {
      destCreds: creds,
      preserveDigests: true,
    });
    const raw = await skopeoInspectRaw(`${registry.host}/private/app:v1`, { creds });
    expect(Buffer.compare(raw, Buffer.from(fixture.root.bytes))).toBe(0);

    const result = await pushFixtureToRegistry(fixture, {
      host: registry.host,
      repository: 'private/other',
      tag: 'v2',
      auth: creds,
    });
    expect(result.digest).toBe(fixture.root.descriptor.digest);
    expect(result.pushedBlobs).toBe(fixture.blobs.size);
  });

  it('reports skopeo failures with its stderr', async () => {
    const failure = await skopeoInspectRaw(`${registry.host}/private/app:v1`, {
      creds: { username: 'alice', password: 'wrong' },
    }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(SkopeoError);
    expect((failure as SkopeoError).stderr).toMatch(/unauthorized|authentication required/i);
    expect((failure as SkopeoError).message).not.toContain('wrong');
  });
});

describeWith('docker-registry with token auth', () => {
  let env: TokenAuthRegistry;
  const users = { bob: 'hunter2' };
  beforeAll(async () => {
    env = await startTokenAuthRegistry({ users, anonymousPull: ['public/*'] });
  });
  afterAll(async () => {
    await env?.stop();
  });

  it('challenges anonymous pushes with the token server as realm', async () => {
    const { status, challenge } = await statusOf(
      `${env.registry.url}/v2/team/app/blobs/uploads/`,
      {},
      'POST',
    );
    expect(status).toBe(401);
    expect(challenge).toContain(`realm="${env.tokenServer.realm}"`);
    // distribution lists the actions in map order, which varies from run to run.
    expect(challenge).toMatch(/scope="repository:team\/app:(pull,push|push,pull)"/);

    const anonymous = await request(
      `${env.tokenServer.realm}?service=${env.tokenServer.service}&scope=repository:team/app:pull,push`,
    );
    const { token } = (await anonymous.body.json()) as { token: string };
    expect(decodeRegistryToken(token).claims.access).toEqual([]);
    const refused = await statusOf(
      `${env.registry.url}/v2/team/app/blobs/uploads/`,
      { authorization: `Bearer ${token}` },
      'POST',
    );
    expect(refused.status).toBe(401);
  });

  it('accepts a push with a token from the token server', async () => {
    const url = `${env.tokenServer.realm}?service=${env.tokenServer.service}&scope=repository:team/app:pull,push`;
    const wrong = await request(url, { headers: { authorization: basic('bob', 'nope') } });
    await wrong.body.dump();
    expect(wrong.statusCode).toBe(401);

    const answer = await request(url, { headers: { authorization: basic('bob', users.bob) } });
    const body = (await answer.body.json()) as { token: string; access_token: string; expires_in: number };
    expect(body.token).toBe(body.access_token);
    expect(body.expires_in).toBe(300);
    const result = await pushFixtureToRegistry(fixture, {
      host: env.registry.host,
      repository: 'team/app',
      tag: 'v1',
      auth: { bearerToken: body.token },
    });
    expect(result.digest).toBe(fixture.root.descriptor.digest);
  });

  it('works with skopeo, which sends credentials to the realm only', async () => {
    const proxy = await startFaultProxy({ target: env.registry.url });
    try {
      env.tokenServer.clearRequests();
      const creds = { username: 'bob', password: users.bob };
      await skopeoCopy(`oci:${layout.path}:v1`, `${proxy.host}/team/skopeo:v1`, {
        destCreds: creds,
        preserveDigests: true,
      });
      const raw = await skopeoInspectRaw(`${proxy.host}/team/skopeo:v1`, { creds });
      expect(Buffer.compare(raw, Buffer.from(fixture.root.bytes))).toBe(0);

      expect(env.tokenServer.requests.length).toBeGreaterThan(0);
      expect(env.tokenServer.requests.every((r) => r.authScheme === 'basic' && r.username === 'bob')).toBe(
        true,
      );
      const schemes = new Set(proxy.requests.map((r) => r.authScheme));
      expect(schemes.has('bearer')).toBe(true);
      expect(schemes.has('basic')).toBe(false);
    } finally {
      await proxy.stop();
    }
  });
});

describeWith('fault proxy', () => {
  let registry: DockerRegistry;
  beforeAll(async () => {
    registry = await startDockerRegistry();
  });
  afterAll(async () => {
    await registry?.stop();
  });

  it('applies a 429 rule once, then passes requests through', async () => {
    const proxy = await startFaultProxy({ target: registry.host });
    try {
      const rule = proxy
        .when({ method: 'GET', path: /^\/v2\/$/ })
        .respond(Fault.status(429, { headers: { 'retry-after': '1' } }));
      const first = await request(`${proxy.url}/v2/`);
      await first.body.dump();
      expect(first.statusCode).toBe(429);
      expect(first.headers['retry-after']).toBe('1');
      const second = await request(`${proxy.url}/v2/`);
      await second.body.dump();
      expect(second.statusCode).toBe(200);
      expect(second.headers['docker-distribution-api-version']).toBe('registry/2.0');
      expect(rule.hits).toBe(1);
      expect(proxy.pendingRules()).toEqual([]);
      expect(proxy.requests.map((r) => [r.status, r.fault])).toEqual([
        [429, 'status'],
        [200, undefined],
      ]);
    } finally {
      await proxy.stop();
    }
  });
});
