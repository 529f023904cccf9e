import { afterAll, afterEach, beforeAll, beforeEach, expect, it } from 'vitest';
import { CopyError, digestOf } from '../../../src/kernel/index.js';
import { Copier, type CopyResult } from '../../../src/oci/copy/index.js';
import { StaticCredentials } from '../../../src/oci/remote/credentials/index.js';
import {
  DEFAULT_RETRY_POLICY,
  type RegistrySession,
  type RegistrySessionOptions,
} from '../../../src/oci/remote/index.js';
import type { Descriptor } from '../../../src/oci/manifest/index.js';
import {
  type DockerRegistry,
  Fault,
  type FaultProxy,
  requireTools,
  startDockerRegistry,
  startFaultProxy,
} from '../../harness/index.js';
import { type ImageFixture, makeImage, makeLayer, pushFixtureToRegistry } from '../../fixtures/index.js';
import {
  type BlobStorage,
  FAST_RETRY,
  fastSession,
  registryStatus,
  rejectionOf,
  startBlobStorage,
} from './helpers.js';

const describeWith = requireTools('docker-registry', 'htpasswd');

const USER = { username: 'mirror', password: 'mirror-password' };
/** Upload chunk size for the resumable-upload tests; the big layer spans several chunks. */
const CHUNK = 64 * 1024;

describeWith('copy through a misbehaving registry (fault proxy on each side)', () => {
  let source: DockerRegistry;
  let destination: DockerRegistry;
  let src: FaultProxy;
  let dst: FaultProxy;
  let image: ImageFixture;
  let chunky: ImageFixture;
  let huge: ImageFixture;
  let storage: BlobStorage;
  const sessions: RegistrySession[] = [];

  beforeAll(async () => {
    const layers = await Promise.all([1, 2, 3].map((i) => makeLayer({ seed: `faults-${i}`, size: 40_000 })));
    const bigLayer = await makeLayer({ seed: 'faults-big', size: 200_000 });
    image = makeImage({ layers });
    chunky = makeImage({ layers: [bigLayer] });
    // Far past any sane manifest limit a test session sets, well under what the registry accepts.
    huge = makeImage({ layers: [layers[0]!], annotations: { padding: 'x'.repeat(1_000_000) } });
    [source, destination] = await Promise.all([
      startDockerRegistry({ auth: { mode: 'htpasswd', users: { [USER.username]: USER.password } } }),
      startDockerRegistry(),
    ]);
    [src, dst] = await Promise.all([
      startFaultProxy({ target: source.url }),
      startFaultProxy({ target: destination.url }),
    ]);
    const seed = (fixture: ImageFixture, repository: string) =>
      pushFixtureToRegistry(fixture, { host: source.host, repository, tag: 'v1', auth: USER });
    await Promise.all([seed(image, 'src/app'), seed(chunky, 'src/chunky'), seed(huge, 'src/huge')]);
    storage = await startBlobStorage(image.blobs);
  });

  afterAll(async () => {
    await Promise.all(sessions.map((s) => s.close()));
    await Promise.all([src?.stop(), dst?.stop(), storage?.stop()]);
    await Promise.all([source?.stop(), destination?.stop()]);
  });

  beforeEach(() => {
    src.clearRequests();
    dst.clearRequests();
  });

  afterEach(() => {
    const unused = [...src.pendingRules(), ...dst.pendingRules()].filter(
      (rule) => rule.match.times !== Infinity,
    );
    src.clearRules();
    dst.clearRules();
    expect(unused, 'every planned fault happened').toEqual([]);
  });

  function session(options: RegistrySessionOptions = {}): RegistrySession {
    const created = fastSession({
      credentials: new StaticCredentials({ [src.host]: { kind: 'basic', ...USER } }),
      ...options,
    });
    sessions.push(created);
    return created;
  }

  async function copy(
    to: string,
    options: { client?: RegistrySession; from?: string } = {},
  ): Promise<CopyResult> {
    const client = options.client ?? session();
    const from = await client.repository({ registry: src.host, repository: options.from ?? 'src/app' });
    const target = await client.repository({ registry: dst.host, repository: to });
    return new Copier({ retry: FAST_RETRY }).copy(from, 'v1', target, 'v1');
  }

  function blobPath(repository: string, digest: string): RegExp {
    return new RegExp(`^/v2/${repository}/blobs/${digest}$`);
  }

  function sourceGets(path: RegExp): (number | undefined)[] {
    return src.requests.filter((r) => r.method === 'GET' && path.test(r.path)).map((r) => r.status);
  }

  /** The digest of what the destination registry itself serves for a blob, or its status when it has none. */
  async function storedBlob(repository: string, descriptor: Descriptor): Promise<string | number> {
    const answer = await registryStatus(
      destination.url,
      'GET',
      `/v2/${repository}/blobs/${descriptor.digest}`,
    );
    return answer.status === 200 ? digestOf(answer.body) : answer.status;
  }

  async function expectComplete(repository: string, fixture: ImageFixture): Promise<void> {
    const manifest = await registryStatus(destination.url, 'HEAD', `/v2/${repository}/manifests/v1`);
    expect(manifest.headers['docker-content-digest']).toBe(fixture.root.descriptor.digest);
    for (const blob of [fixture.root.image.config, ...fixture.root.image.layers]) {
      expect(await storedBlob(repository, blob)).toBe(blob.digest);
    }
  }

  const layer = (n: number): Descriptor => image.root.image.layers[n]!;

  it('waits out a short 429 Retry-After on a manifest GET and succeeds', async () => {
    src
      .when({ method: 'GET', path: /^\/v2\/src\/app\/manifests\// })
      .respond(Fault.status(429, { headers: { 'retry-after': '1' } }));
    const started = Date.now();
    await copy('dst/after-429');
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    expect(sourceGets(/^\/v2\/src\/app\/manifests\//)).toEqual([429, 200]);
    await expectComplete('dst/after-429', image);
  });

  it('leaves a quota-sized Retry-After to the caller: OCI_TOO_MANY_REQUESTS with retryAfterMs', async () => {
    src
      .when({ method: 'GET', path: /^\/v2\/src\/app\/manifests\// })
      .respond(Fault.status(429, { headers: { 'retry-after': '3600' } }));
    const started = Date.now();
    const error = await rejectionOf(copy('dst/quota'));
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(error.code).toBe('OCI_TOO_MANY_REQUESTS');
    expect(error.details.retryAfterMs).toBe(3_600_000);
    expect(error.retryable).toBe(true);
    expect(sourceGets(/^\/v2\/src\/app\/manifests\//)).toEqual([429]);
  });

  it('retries a blob GET through 500 and 503', async () => {
    const path = blobPath('src/app', layer(0).digest);
    src.when({ method: 'GET', path }).respond(Fault.status(500));
    src.when({ method: 'GET', path }).respond(Fault.status(503));
    await copy('dst/after-5xx');
    expect(sourceGets(path)).toEqual([500, 503, 200]);
    await expectComplete('dst/after-5xx', image);
  });

  it('gives up on a persistently failing blob GET after the policy attempts, with OCI_REGISTRY_ERROR', async () => {
    const path = blobPath('src/app', layer(1).digest);
    src
      .when({ method: 'GET', path, times: Infinity })
      .respond(Fault.status(500, { body: { errors: [{ code: 'UNKNOWN', message: 'disk on fire' }] } }));
    const error = await rejectionOf(copy('dst/persistent-500'));
    expect(error.code).toBe('OCI_REGISTRY_ERROR');
    expect(error).toBeInstanceOf(CopyError);
    expect((error as CopyError).side).toBe('source');
    expect(error.message).toContain('disk on fire');
    // The transport's attempts, not multiplied by another round of the copy engine's.
    expect(sourceGets(path)).toEqual(Array(DEFAULT_RETRY_POLICY.attempts).fill(500));
    expect(await storedBlob('dst/persistent-500', layer(1))).toBe(404);
  });

  it.each([
    ['a connection reset mid-body', Fault.resetConnection(10_000)],
    ['a truncated body', Fault.truncateBody(10_000)],
    ['a corrupt body', Fault.corruptBody()],
  ])('recovers from %s once by downloading the blob again', async (_name, fault) => {
    const repository = `dst/recover-${fault.kind}`;
    const path = blobPath('src/app', layer(2).digest);
    src.when({ method: 'GET', path }).respond(fault);
    const result = await copy(repository);
    expect(result.stats.blobsCopied).toBe(4);
    const gets = src.requests.filter((r) => r.method === 'GET' && path.test(r.path));
    expect(gets.map((r) => r.fault)).toEqual([fault.kind, undefined]);
    await expectComplete(repository, image);
  });

  it('fails with a source-side digest error when the body is always corrupt, and stores nothing under that digest', async () => {
    const path = blobPath('src/app', layer(2).digest);
    src.when({ method: 'GET', path, times: Infinity }).respond(Fault.corruptBody({ atByte: 5 }));
    const error = await rejectionOf(copy('dst/corrupt'));
    expect(error.code).toBe('OCI_DIGEST_MISMATCH');
    expect(error).toBeInstanceOf(CopyError);
    expect((error as CopyError).side).toBe('source');
    // One download per attempt of the copy engine's policy, each failing its digest check.
    expect(sourceGets(path)).toHaveLength(DEFAULT_RETRY_POLICY.attempts);
    expect(await storedBlob('dst/corrupt', layer(2))).toBe(404);
    const manifest = await registryStatus(destination.url, 'HEAD', '/v2/dst/corrupt/manifests/v1');
    expect(manifest.status).toBe(404);
  });

  it('streams a blob again when the destination fails the upload PUT', async () => {
    const uploads = /^\/v2\/dst\/put-500\/blobs\/uploads\//;
    dst.when({ method: 'PUT', path: uploads }).respond(Fault.status(500));
    await copy('dst/put-500');
    const puts = dst.requests.filter((r) => r.method === 'PUT' && uploads.test(r.path)).map((r) => r.status);
    expect(puts.filter((s) => s === 500)).toHaveLength(1);
    expect(puts.filter((s) => s === 201)).toHaveLength(4);
    // One blob was read from the source twice: once for the failed upload, once for the retry.
    const blobGets = src.requests.filter((r) => r.method === 'GET' && r.path.includes('/blobs/sha256:'));
    expect(blobGets).toHaveLength(5);
    await expectComplete('dst/put-500', image);
  });

  it.each([
    ['the first chunk', 0],
    ['a later chunk', 1],
  ])(
    'resumes a chunked upload when %s fails, from the offset the registry reports',
    async (_name, goodChunks) => {
      const repository = `dst/chunked-${goodChunks}`;
      const uploads = new RegExp(`^/v2/${repository}/blobs/uploads/`);
      const attempts = 3;
      if (goodChunks > 0)
        dst.when({ method: 'PATCH', path: uploads, times: goodChunks }).respond(Fault.delay(0));
      dst.when({ method: 'PATCH', path: uploads, times: attempts }).respond(Fault.status(500));
      const client = session({ uploadChunkSize: CHUNK, retry: { attempts } });
      await copy(repository, { client, from: 'src/chunky' });

      const chunksOfBigLayer = Math.ceil(chunky.root.image.layers[0]!.size / CHUNK);
      const requests = dst.requests.filter((r) => uploads.test(r.path));
      // The resume asked the registry how much it has, and no new upload session was opened for it.
      expect(requests.filter((r) => r.method === 'GET').map((r) => r.status)).toEqual([204]);
      expect(requests.filter((r) => r.method === 'POST')).toHaveLength(2);
      expect(requests.filter((r) => r.method === 'PATCH' && r.status === 202)).toHaveLength(chunksOfBigLayer);
      await expectComplete(repository, chunky);
    },
  );

  it('refuses a manifest over the session limit without reading all of it', async () => {
    const repository = await session({ maxManifestBytes: 64 * 1024 }).repository({
      registry: src.host,
      repository: 'src/huge',
    });
    const declared = await rejectionOf(repository.fetchManifest('v1'));
    expect(declared.code).toBe('OCI_MANIFEST_TOO_LARGE');

    // Without a Content-Length the limit applies while reading.
    src
      .when({ method: 'GET', path: /^\/v2\/src\/huge\/manifests\// })
      .respond(Fault.rewriteHeader('content-length', null));
    const streamed = await rejectionOf(repository.fetchManifest('v1'));
    expect(streamed.code).toBe('OCI_MANIFEST_TOO_LARGE');
    const readBytes = Number(/ is (\d+)\+ bytes/.exec(streamed.message)?.[1]);
    expect(readBytes).toBeGreaterThan(64 * 1024);
    expect(readBytes).toBeLessThan(huge.root.bytes.length / 2);
  });

  it('fetches a manifest again when its bytes arrive corrupt, and fails when they always do', async () => {
    const repository = await session().repository({ registry: src.host, repository: 'src/app' });
    // Authenticate first, so that the faults hit the answers that carry the manifest.
    await repository.resolve('v1');
    const manifests = /^\/v2\/src\/app\/manifests\//;
    src.when({ method: 'GET', path: manifests }).respond(Fault.corruptBody());
    expect((await repository.fetchManifest(image.root.descriptor)).descriptor.digest).toBe(
      image.root.descriptor.digest,
    );

    const attempts = DEFAULT_RETRY_POLICY.attempts;
    src.when({ method: 'GET', path: manifests, times: attempts }).respond(Fault.corruptBody());
    const byDigest = await rejectionOf(repository.fetchManifest(image.root.descriptor));
    expect(byDigest.code).toBe('OCI_DIGEST_MISMATCH');
    src.when({ method: 'GET', path: manifests, times: attempts }).respond(Fault.corruptBody());
    const byTag = await rejectionOf(repository.fetchManifest('v1'));
    expect(byTag.code).toBe('OCI_DIGEST_MISMATCH');
  });

  it('follows a blob redirect to another origin without sending it the Authorization header', async () => {
    const redirected = [layer(0), layer(1)];
    for (const blob of redirected) {
      src
        .when({ method: 'GET', path: blobPath('src/app', blob.digest) })
        .respond(Fault.status(307, { headers: { location: storage.urlOf(blob.digest) } }));
    }
    await copy('dst/redirected');

    for (const blob of redirected) {
      const [record] = src.requests.filter(
        (r) => r.method === 'GET' && r.path === `/v2/src/app/blobs/${blob.digest}`,
      );
      expect(record).toMatchObject({ status: 307, authScheme: 'basic' });
    }
    expect(storage.requests.map((r) => [r.method, r.authorization]).sort()).toEqual(
      redirected.map(() => ['GET', false]),
    );
    expect(storage.requests.map((r) => r.path).sort()).toEqual(
      redirected.map((b) => `/blobs/${b.digest}`).sort(),
    );
    await expectComplete('dst/redirected', image);
  });
});
