import { buffer } from 'node:stream/consumers';
import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import { digestOf } from '../../../src/kernel/index.js';
import { FakeClock } from '../../../src/kernel/testing/fake-clock.js';
import { Copier } from '../../../src/oci/copy/index.js';
import type { Credential } from '../../../src/oci/remote/credentials/index.js';
import type { RegistrySession } from '../../../src/oci/remote/index.js';
import {
  type DockerRegistry,
  type FaultProxy,
  type TokenAuthRegistry,
  type TokenServer,
  requireTools,
  startDockerRegistry,
  startFaultProxy,
  startTokenAuthRegistry,
  startTokenServer,
} from '../../harness/index.js';
import { type ImageFixture, pushFixtureToRegistry, storeFixture } from '../../fixtures/index.js';
import {
  FAST_RETRY,
  type TcpForwarder,
  basicAuthorization,
  blobCount,
  credentialsFor,
  exchanges,
  isSchemeProbe,
  fastSession,
  imageOf,
  manifestPath,
  nonLoopbackAddress,
  registryStatus,
  rejectionOf,
  startTcpForwarder,
} from './helpers.js';

const describeWith = requireTools('docker-registry', 'htpasswd', 'openssl');

describeWith('registry client against a Basic-auth (htpasswd) registry', () => {
  const USER = { username: 'alice', password: 'correct horse battery staple' };
  let registry: DockerRegistry;
  let proxy: FaultProxy;
  let open: DockerRegistry;
  let openProxy: FaultProxy;
  let image: ImageFixture;
  const sessions: RegistrySession[] = [];

  function session(credential?: Credential): RegistrySession {
    const created = fastSession(credential ? { credentials: credentialsFor(proxy.host, credential) } : {});
    sessions.push(created);
    return created;
  }

  beforeAll(async () => {
    [registry, open, image] = await Promise.all([
      startDockerRegistry({ auth: { mode: 'htpasswd', users: { [USER.username]: USER.password } } }),
      startDockerRegistry(),
      imageOf('basic', 2),
    ]);
    [proxy, openProxy] = await Promise.all([
      startFaultProxy({ target: registry.url }),
      startFaultProxy({ target: open.url }),
    ]);
    await pushFixtureToRegistry(image, {
      host: registry.host,
      repository: 'seeded/app',
      tag: 'v1',
      auth: USER,
    });
  });

  afterAll(async () => {
    await Promise.all(sessions.map((s) => s.close()));
    await Promise.all([proxy?.stop(), openProxy?.stop()]);
    await Promise.all([registry?.stop(), open?.stop()]);
  });

  beforeEach(() => {
    proxy.clearRequests();
    openProxy.clearRequests();
  });

  it('pushes and pulls with credentials, sending them as Basic to that registry only', async () => {
    const client = session({ kind: 'basic', ...USER });
    const repository = await client.repository({ registry: proxy.host, repository: 'basic/app' });
    await storeFixture(repository, image, { tag: 'v1' });

    const resolved = await repository.resolve('v1');
    expect(resolved.digest).toBe(image.root.descriptor.digest);
    const manifest = await repository.fetchManifest(resolved);
    expect(Buffer.from(manifest.bytes).equals(Buffer.from(image.root.bytes))).toBe(true);
    const layer = image.root.image.layers[0]!;
    expect(digestOf(await buffer(await repository.fetchBlob(layer)))).toBe(layer.digest);

    // The same session copies to another registry, for which no credentials are configured.
    const destination = await client.repository({ registry: openProxy.host, repository: 'mirror/app' });
    const result = await new Copier({ retry: FAST_RETRY }).copy(repository, 'v1', destination, 'v1');
    expect(result.stats.blobsCopied).toBe(blobCount(image));

    expect(new Set(exchanges(proxy).map((r) => r.authScheme))).toEqual(new Set([undefined, 'basic']));
    // Only the very first request goes out unauthenticated (and learns the scheme from its 401).
    expect(
      exchanges(proxy)
        .filter((r) => r.authScheme === undefined)
        .map((r) => r.status),
    ).toEqual([401]);
    expect(
      exchanges(proxy)
        .filter((r) => r.authScheme === 'basic')
        .some((r) => r.status === 401),
    ).toBe(false);
    expect(exchanges(openProxy).length).toBeGreaterThan(0);
    expect(exchanges(openProxy).every((r) => r.authScheme === undefined)).toBe(true);

    const stored = await registryStatus(
      registry.url,
      'HEAD',
      manifestPath('basic/app', image),
      basicAuthorization(USER.username, USER.password),
    );
    expect(stored.status).toBe(200);
  });

  it('asks a loopback registry once, over plain HTTP and without credentials, which scheme it speaks', async () => {
    const client = session({ kind: 'basic', ...USER });
    const repository = await client.repository({ registry: proxy.host, repository: 'seeded/app' });
    await repository.resolve('v1');
    await repository.resolve('v1');
    expect(proxy.requests.filter(isSchemeProbe)).toHaveLength(1);
    expect(proxy.requests[0]).toMatchObject({ method: 'GET', path: '/v2/', status: 401 });
    expect(exchanges(proxy).every((r) => r.authScheme === 'basic' || r.status === 401)).toBe(true);
  });

  it('fails with OCI_UNAUTHORIZED and points at `airlock login` when no credentials are configured', async () => {
    const repository = await session().repository({ registry: proxy.host, repository: 'seeded/app' });
    const error = await rejectionOf(repository.resolve('v1'));
    expect(error.code).toBe('OCI_UNAUTHORIZED');
    expect(error.message).toContain('airlock login');
    expect(error.message).toContain(`${proxy.host}/seeded/app`);
    expect(error.details.httpStatus).toBe(401);
    // Nothing to retry with: one request, no Authorization header.
    expect(exchanges(proxy).map((r) => [r.method, r.status, r.authScheme])).toEqual([
      ['HEAD', 401, undefined],
    ]);
  });

  it('reports rejected credentials as such, naming the user, after one authenticated attempt', async () => {
    const repository = await session({
      kind: 'basic',
      username: USER.username,
      password: 'wrong',
    }).repository({
      registry: proxy.host,
      repository: 'seeded/app',
    });
    const error = await rejectionOf(repository.fetchManifest('v1'));
    expect(error.code).toBe('AUTH_CREDENTIALS_INVALID');
    expect(error.message).toContain(`user "${USER.username}"`);
    expect(error.message).toContain('airlock login');
    expect(error.message).not.toContain('wrong');
    expect(exchanges(proxy).map((r) => [r.status, r.authScheme])).toEqual([
      [401, undefined],
      [401, 'basic'],
    ]);
  });
});

describeWith('registry client against a token-auth registry (realm on another origin)', () => {
  const ALICE = { username: 'alice', password: 'alice-password' };
  const ROBOT_IDENTITY_TOKEN = 'identity-token-of-robot';
  let auth: TokenAuthRegistry;
  let tokens: TokenServer;
  let proxy: FaultProxy;
  let source: DockerRegistry;
  let image: ImageFixture;
  let wide: ImageFixture;
  const sessions: RegistrySession[] = [];

  function session(credential?: Credential, clock?: FakeClock): RegistrySession {
    const created = fastSession({
      credentials: credential ? credentialsFor(proxy.host, credential) : undefined,
      clock,
    });
    sessions.push(created);
    return created;
  }

  function tokenRecordsFor(scope: string) {
    return tokens.requests.filter((r) => r.scopes.includes(scope));
  }

  beforeAll(async () => {
    [auth, source, image, wide] = await Promise.all([
      startTokenAuthRegistry({
        users: {
          [ALICE.username]: ALICE.password,
          robot: { password: 'not-used', identityToken: ROBOT_IDENTITY_TOKEN },
        },
        anonymousPull: ['public/**'],
      }),
      startDockerRegistry(),
      imageOf('token', 2),
      imageOf('wide', 12, 500),
    ]);
    tokens = auth.tokenServer;
    proxy = await startFaultProxy({ target: auth.registry.url });
    const seed = (repository: string) =>
      pushFixtureToRegistry(image, {
        host: auth.registry.host,
        repository,
        tag: 'v1',
        auth: {
          bearerToken: tokens.issueToken([
            { type: 'repository', name: repository, actions: ['pull', 'push'] },
          ]),
        },
      });
    await Promise.all([
      seed('public/app'),
      seed('private/app'),
      pushFixtureToRegistry(wide, { host: source.host, repository: 'wide/app', tag: 'v1' }),
    ]);
  });

  afterAll(async () => {
    await Promise.all(sessions.map((s) => s.close()));
    await proxy?.stop();
    await Promise.all([auth?.stop(), source?.stop()]);
  });

  beforeEach(() => {
    tokens.configure({ expiresIn: 300, issuedAt: 'now', tokenField: undefined });
    tokens.clearRequests();
    proxy.clearRequests();
  });

  async function existsAt(repository: string, fixture: ImageFixture): Promise<boolean> {
    const token = tokens.issueToken([{ type: 'repository', name: repository, actions: ['pull'] }]);
    const answer = await registryStatus(
      auth.registry.url,
      'HEAD',
      manifestPath(repository, fixture),
      `Bearer ${token}`,
    );
    return answer.status === 200;
  }

  it('pulls anonymously from a repository the token service opens to everyone', async () => {
    const repository = await session().repository({ registry: proxy.host, repository: 'public/app' });
    const manifest = await repository.fetchManifest('v1');
    expect(manifest.descriptor.digest).toBe(image.root.descriptor.digest);
    const layer = image.root.image.layers[1]!;
    expect(digestOf(await buffer(await repository.fetchBlob(layer)))).toBe(layer.digest);

    expect(tokens.requests.map((r) => [r.method, r.authScheme, r.status, r.scopes])).toEqual([
      ['GET', undefined, 200, ['repository:public/app:pull']],
    ]);
    expect(exchanges(proxy).map((r) => r.authScheme)).toEqual([undefined, 'bearer', 'bearer']);
  });

  it('refuses an anonymous push with an error that asks for credentials', async () => {
    const repository = await session().repository({ registry: proxy.host, repository: 'public/upload' });
    const error = await rejectionOf(storeFixture(repository, image, { tag: 'v1' }));
    expect(['OCI_UNAUTHORIZED', 'OCI_DENIED']).toContain(error.code);
    expect(error.message).toContain(`${proxy.host}/public/upload`);
    expect(error.message).toMatch(/airlock login|permission/);
    // The token service was asked for push, and granted an anonymous client pull at most.
    const pushRequests = tokenRecordsFor('repository:public/upload:pull,push');
    expect(pushRequests.length).toBeGreaterThan(0);
    for (const record of pushRequests) {
      expect(record.authScheme).toBeUndefined();
      expect(record.granted?.flatMap((g) => g.actions) ?? []).not.toContain('push');
    }
    expect(await existsAt('public/upload', image)).toBe(false);
  });

  it('pushes and copies with credentials that go to the token service only, never to the registry', async () => {
    const client = session({ kind: 'basic', ...ALICE });
    const pushed = await client.repository({ registry: proxy.host, repository: 'team/pushed' });
    await storeFixture(pushed, image, { tag: 'v1' });
    const from = await client.repository({ registry: proxy.host, repository: 'private/app' });
    const to = await client.repository({ registry: proxy.host, repository: 'team/copied' });
    const result = await new Copier({ retry: FAST_RETRY }).copy(from, 'v1', to, 'v1');
    expect(result.status).toBe('copied');

    expect(await existsAt('team/pushed', image)).toBe(true);
    expect(await existsAt('team/copied', image)).toBe(true);
    expect(exchanges(proxy).length).toBeGreaterThan(5);
    expect(exchanges(proxy).some((r) => r.authScheme === 'basic')).toBe(false);
    expect(exchanges(proxy).filter((r) => r.authScheme === 'bearer').length).toBeGreaterThan(0);
    expect(tokens.requests.length).toBeGreaterThan(0);
    expect(
      tokens.requests.every(
        (r) => r.authScheme === 'basic' && r.username === ALICE.username && r.status === 200,
      ),
    ).toBe(true);
  });

  it('asks for one token per repository scope, not one per blob', async () => {
    const client = session({ kind: 'basic', ...ALICE });
    const from = await client.repository({ registry: source.host, repository: 'wide/app' });
    const to = await client.repository({ registry: proxy.host, repository: 'team/wide' });
    const result = await new Copier({ retry: FAST_RETRY, concurrency: 16 }).copy(from, 'v1', to, 'v1');
    expect(result.stats.blobsCopied).toBe(blobCount(wide));

    expect(tokenRecordsFor('repository:team/wide:pull,push')).toHaveLength(1);
    // Plus at most one pull token, for the existence checks made before the first upload.
    expect(tokens.requests.length).toBeLessThanOrEqual(2);
    const uploads = exchanges(proxy).filter((r) => r.method === 'PUT' && r.path.includes('/blobs/uploads/'));
    expect(uploads).toHaveLength(blobCount(wide));
  });

  it('reuses a token until shortly before it expires, then fetches a new one (injected clock)', async () => {
    tokens.configure({ expiresIn: 300, issuedAt: 'omit' });
    const clock = new FakeClock(Date.now());
    const repository = await session({ kind: 'basic', ...ALICE }, clock).repository({
      registry: proxy.host,
      repository: 'private/app',
    });
    await repository.resolve('v1');
    expect(tokens.requests).toHaveLength(1);
    clock.advance(284_000);
    await repository.resolve('v1');
    expect(tokens.requests).toHaveLength(1);
    clock.advance(2_000);
    await repository.resolve('v1');
    expect(tokens.requests).toHaveLength(2);
    // The registry accepted every token sent (no second challenge).
    expect(exchanges(proxy).map((r) => r.status)).toEqual([401, 200, 200, 200]);
  });

  it('assumes a 60 s lifetime when the token service omits expires_in', async () => {
    tokens.configure({ expiresIn: 'omit', issuedAt: 'omit' });
    const clock = new FakeClock(Date.now());
    const repository = await session({ kind: 'basic', ...ALICE }, clock).repository({
      registry: proxy.host,
      repository: 'private/app',
    });
    await repository.resolve('v1');
    clock.advance(44_000);
    await repository.resolve('v1');
    expect(tokens.requests).toHaveLength(1);
    clock.advance(2_000);
    await repository.resolve('v1');
    expect(tokens.requests).toHaveLength(2);
  });

  it.each(['access_token', 'token'] as const)('reads the token from "%s"', async (tokenField) => {
    tokens.configure({ tokenField });
    const repository = await session({ kind: 'basic', ...ALICE }).repository({
      registry: proxy.host,
      repository: 'private/app',
    });
    expect((await repository.resolve('v1')).digest).toBe(image.root.descriptor.digest);
    expect(tokens.requests.map((r) => r.status)).toEqual([200]);
    expect(exchanges(proxy).map((r) => [r.status, r.authScheme])).toEqual([
      [401, undefined],
      [200, 'bearer'],
    ]);
  });

  it('exchanges an identity token with an OAuth2 refresh_token grant', async () => {
    const repository = await session({ kind: 'identity-token', token: ROBOT_IDENTITY_TOKEN }).repository({
      registry: proxy.host,
      repository: 'private/app',
    });
    expect((await repository.fetchManifest('v1')).descriptor.digest).toBe(image.root.descriptor.digest);
    expect(tokens.requests).toHaveLength(1);
    const [record] = tokens.requests;
    expect(record).toMatchObject({
      method: 'POST',
      grantType: 'refresh_token',
      username: 'robot',
      status: 200,
    });
    expect(record!.authScheme).toBeUndefined();
    expect(record!.scopes).toEqual(['repository:private/app:pull']);
  });

  it('mounts across repositories with a token scoped to both, instead of re-uploading', async () => {
    const client = session({ kind: 'basic', ...ALICE });
    const from = await client.repository({ registry: proxy.host, repository: 'private/app' });
    const to = await client.repository({ registry: proxy.host, repository: 'team/mounted' });
    const result = await new Copier({ retry: FAST_RETRY }).copy(from, 'v1', to, 'v1');
    expect(result.stats).toMatchObject({ blobsMounted: blobCount(image), blobsCopied: 0 });

    const mountTokens = tokens.requests.filter(
      (r) =>
        r.scopes.includes('repository:private/app:pull') &&
        r.scopes.includes('repository:team/mounted:pull,push'),
    );
    expect(mountTokens).toHaveLength(1);
    const mounts = exchanges(proxy).filter((r) => r.method === 'POST' && r.path.includes('mount='));
    expect(mounts.map((r) => r.status)).toEqual(Array(blobCount(image)).fill(201));
    expect(exchanges(proxy).some((r) => r.method === 'PUT' && r.path.includes('/blobs/uploads/'))).toBe(
      false,
    );
    expect(await existsAt('team/mounted', image)).toBe(true);
  });

  it('mounts from the repository it filled earlier in the run when copying the same image again', async () => {
    const client = session({ kind: 'basic', ...ALICE });
    const from = await client.repository({ registry: source.host, repository: 'wide/app' });
    const copier = new Copier({ retry: FAST_RETRY });
    const first = await copier.copy(
      from,
      'v1',
      await client.repository({ registry: proxy.host, repository: 'team/first' }),
      'v1',
    );
    const second = await copier.copy(
      from,
      'v1',
      await client.repository({ registry: proxy.host, repository: 'team/second' }),
      'v1',
    );
    expect(first.stats.blobsCopied).toBe(blobCount(wide));
    expect(second.stats).toMatchObject({ blobsMounted: blobCount(wide), blobsCopied: 0 });
    const mountTokens = tokens.requests.filter(
      (r) =>
        r.scopes.includes('repository:team/first:pull') &&
        r.scopes.includes('repository:team/second:pull,push'),
    );
    expect(mountTokens).toHaveLength(1);
  });
});

/** Reaching a registry under a non-loopback name needs an address of this machine that is not loopback. */
const lanAddress = nonLoopbackAddress();

describeWith('token realm over plain HTTP for a registry that is not on loopback', () => {
  let tokens: TokenServer;
  let registry: DockerRegistry;
  let realm: TcpForwarder;
  let registryFront: TcpForwarder;
  const sessions: RegistrySession[] = [];

  beforeAll(async () => {
    if (!lanAddress) return;
    tokens = await startTokenServer({ users: { alice: 'pw' } });
    realm = await startTcpForwarder(lanAddress!, tokens.host);
    registry = await startDockerRegistry({
      auth: {
        mode: 'token',
        realm: `http://${realm.host}/token`,
        service: tokens.service,
        issuer: tokens.issuer,
        rootCertBundlePath: tokens.certificatePath,
      },
    });
    registryFront = await startTcpForwarder(lanAddress!, registry.host);
  });

  afterAll(async () => {
    await Promise.all(sessions.map((s) => s.close()));
    await Promise.all([realm?.stop(), registryFront?.stop()]);
    await Promise.all([registry?.stop(), tokens?.stop()]);
  });

  function session(insecure: string[]): RegistrySession {
    const created = fastSession({
      insecure,
      credentials: credentialsFor(registryFront.host, { kind: 'basic', username: 'alice', password: 'pw' }),
    });
    sessions.push(created);
    return created;
  }

  it.skipIf(!lanAddress)(
    'refuses to send credentials to the realm, and does so once the realm host is marked insecure',
    async () => {
      const error = await rejectionOf(session([registryFront.host]).ping(registryFront.host));
      expect(error.code).toBe('AUTH_CHALLENGE_INVALID');
      expect(error.message).toContain(realm.host);
      expect(tokens.requests).toHaveLength(0);

      await session([registryFront.host, realm.host]).ping(registryFront.host);
      expect(tokens.requests.map((r) => [r.authScheme, r.status])).toEqual([['basic', 200]]);
    },
  );
});
