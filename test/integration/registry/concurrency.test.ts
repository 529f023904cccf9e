import { execFile } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type AirlockRegistry,
  type AirlockRegistryProcess,
  startAirlockRegistry,
  startAirlockRegistryProcess,
} from '../../harness/airlock-registry.js';
import { hashPassword } from '../../../src/registry/index.js';
import { makeTempDir, type TempDir } from '../../harness/index.js';
import {
  blobOf,
  describe as describeBlob,
  makeArtifact,
  makeImage,
  makeLayer,
  seededBytes,
  sha256,
} from './support/fixtures.js';
import { call, header, pushBlob, pushImage, pushManifest } from './support/http.js';

describe('concurrent pushes in one process', () => {
  let registry: AirlockRegistry;
  beforeAll(async () => {
    registry = await startAirlockRegistry();
  });
  afterAll(() => registry.stop());

  it('stores shared blobs pushed by many clients at once exactly once, intact', async () => {
    const shared = [await makeLayer(90, 400_000), await makeLayer(91, 200_000)];
    const images = await Promise.all(
      Array.from({ length: 8 }, (_, i) => makeImage({ seed: 900 + i, layers: 1, sharedLayers: shared })),
    );
    await Promise.all(
      images.map((image, i) =>
        pushImage(registry.url, i % 2 === 0 ? 'conc/same' : `conc/repo-${i}`, `v${i}`, image),
      ),
    );
    await Promise.all(images.map((image, i) => pushImage(registry.url, 'conc/same', `again-${i}`, image)));
    for (const layer of shared) {
      const reply = await call(registry.url, 'GET', `/v2/conc/same/blobs/${layer.digest}`);
      expect(sha256(reply.body)).toBe(layer.digest);
      const files = await readdir(join(registry.root, 'blobs', 'sha256', layer.digest.slice(7, 9)));
      expect(files.filter((f) => f === layer.digest.slice(7))).toHaveLength(1);
    }
    expect(await readdir(join(registry.root, 'uploads'))).toEqual([]);
    expect(await readdir(join(registry.root, 'tmp'))).toEqual([]);
    const tags = await call(registry.url, 'GET', '/v2/conc/same/tags/list');
    expect((tags.json as { tags: string[] }).tags).toHaveLength(12);
  });

  it('keeps every referrer of one subject when they are pushed at the same time', async () => {
    const image = await makeImage({ seed: 92 });
    await pushImage(registry.url, 'conc/ref', 'v1', image);
    const artifacts = Array.from({ length: 20 }, (_, i) =>
      makeArtifact(describeBlob(image), 'application/vnd.example.sig', `sig-${i}`),
    );
    await Promise.all(
      artifacts.map(async (artifact) => {
        for (const blob of artifact.blobs) await pushBlob(registry.url, 'conc/ref', blob);
        expect((await pushManifest(registry.url, 'conc/ref', artifact.digest, artifact)).status).toBe(201);
      }),
    );
    const listed = await call(registry.url, 'GET', `/v2/conc/ref/referrers/${image.digest}`);
    expect(
      (listed.json as { manifests: { digest: string }[] }).manifests.map((m) => m.digest).sort(),
    ).toEqual(artifacts.map((a) => a.digest).sort());
  });
});

describe('several registry processes sharing one storage', () => {
  let data: TempDir;
  let a: AirlockRegistryProcess;
  let b: AirlockRegistryProcess;

  beforeAll(async () => {
    data = await makeTempDir('registry-shared');
    [a, b] = await Promise.all([
      startAirlockRegistryProcess({ dataDir: data.path }),
      startAirlockRegistryProcess({ dataDir: data.path }),
    ]);
  }, 60_000);
  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
    await data?.remove();
  });

  it('serves through one process what was pushed through the other, and sees tag moves at once', async () => {
    const one = await makeImage({ seed: 93 });
    const two = await makeImage({ seed: 94 });
    await pushImage(a.url, 'shared/app', 'latest', one);
    const first = await call(b.url, 'GET', '/v2/shared/app/manifests/latest');
    expect(header(first, 'docker-content-digest')).toBe(one.digest);
    // Both processes have the tag cached now; move it through A and read it through B.
    expect(header(await call(a.url, 'GET', '/v2/shared/app/manifests/latest'), 'docker-content-digest')).toBe(
      one.digest,
    );
    await pushImage(a.url, 'shared/app', 'latest', two);
    expect(header(await call(b.url, 'GET', '/v2/shared/app/manifests/latest'), 'docker-content-digest')).toBe(
      two.digest,
    );
    // A delete through B is seen by A.
    expect((await call(b.url, 'DELETE', `/v2/shared/app/manifests/${two.digest}`)).status).toBe(202);
    expect((await call(a.url, 'GET', '/v2/shared/app/manifests/latest')).status).toBe(404);
  });

  it('continues a chunked upload across processes and verifies the digest', async () => {
    const blob = blobOf(seededBytes(95, 300_000), 'application/octet-stream');
    const start = await call(a.url, 'POST', '/v2/shared/chunks/blobs/uploads/');
    const location = header(start, 'location')!;
    const first = await call(a.url, 'PATCH', location, {
      body: blob.bytes.subarray(0, 100_000),
      headers: { 'content-range': '0-99999' },
    });
    expect(first.status).toBe(202);
    const second = await call(b.url, 'PATCH', location, {
      body: blob.bytes.subarray(100_000, 200_000),
      headers: { 'content-range': '100000-199999' },
    });
    expect(header(second, 'range')).toBe('0-199999');
    const status = await call(a.url, 'GET', location);
    expect(header(status, 'range')).toBe('0-199999');
    const done = await call(a.url, 'PUT', `${location}?digest=${blob.digest}`, {
      body: blob.bytes.subarray(200_000),
      headers: { 'content-range': '200000-299999' },
    });
    expect(done.status).toBe(201);
    expect(sha256((await call(b.url, 'GET', `/v2/shared/chunks/blobs/${blob.digest}`)).body)).toBe(
      blob.digest,
    );
  });

  it('keeps the referrers pushed through both processes at once', async () => {
    const image = await makeImage({ seed: 96 });
    await pushImage(a.url, 'shared/ref', 'v1', image);
    const artifacts = Array.from({ length: 10 }, (_, i) =>
      makeArtifact(describeBlob(image), 'application/vnd.example.sig', `shared-${i}`),
    );
    await Promise.all(
      artifacts.map(async (artifact, i) => {
        const via = i % 2 === 0 ? a.url : b.url;
        for (const blob of artifact.blobs) await pushBlob(via, 'shared/ref', blob);
        expect((await pushManifest(via, 'shared/ref', artifact.digest, artifact)).status).toBe(201);
      }),
    );
    for (const via of [a.url, b.url]) {
      const listed = await call(via, 'GET', `/v2/shared/ref/referrers/${image.digest}`);
      expect((listed.json as { manifests: unknown[] }).manifests).toHaveLength(10);
    }
  });
});

describe('several registry processes with token auth started at once', () => {
  let data: TempDir;
  let a: AirlockRegistryProcess;
  let b: AirlockRegistryProcess;

  beforeAll(async () => {
    data = await makeTempDir('registry-shared-auth');
    const config = { auth: { users: [{ name: 'ci', passwordHash: await hashPassword('ci-secret') }] } };
    [a, b] = await Promise.all([
      startAirlockRegistryProcess({ dataDir: data.path, config }),
      startAirlockRegistryProcess({ dataDir: data.path, config }),
    ]);
  }, 60_000);
  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
    await data?.remove();
  });

  it('creates one signing key, so a token from either process works on both', async () => {
    const basic = { authorization: `Basic ${Buffer.from('ci:ci-secret').toString('base64')}` };
    const reply = await call(a.url, 'GET', '/token?scope=repository:shared/auth:pull,push', {
      headers: basic,
    });
    const token = (reply.json as { token: string }).token;
    const image = await makeImage({ seed: 97 });
    await pushImage(b.url, 'shared/auth', 'v1', image, token);
    expect((await call(a.url, 'GET', '/v2/shared/auth/manifests/v1', { token })).status).toBe(200);
  });
});

describe('a cluster of worker processes on one port', () => {
  let registry: AirlockRegistryProcess;

  beforeAll(async () => {
    registry = await startAirlockRegistryProcess({ workers: 2 });
  }, 60_000);
  afterAll(() => registry?.stop());

  it('serves pushes and pulls from two workers sharing the storage, and stops them all', async () => {
    const { stdout } = await promisify(execFile)('pgrep', [
      '-P',
      String(registry.pid),
      '-f',
      'cli/run.ts registry',
    ]);
    const workers = stdout.trim().split('\n').filter(Boolean).map(Number);
    expect(workers).toHaveLength(2);
    const images = await Promise.all(Array.from({ length: 6 }, (_, i) => makeImage({ seed: 980 + i })));
    await Promise.all(images.map((image, i) => pushImage(registry.url, 'cluster/app', `v${i}`, image)));
    const pulls = await Promise.all(
      images.map((image, i) => call(registry.url, 'GET', `/v2/cluster/app/manifests/v${i}`)),
    );
    pulls.forEach((reply, i) => expect(reply.body.equals(images[i]!.bytes)).toBe(true));
    await registry.kill('SIGTERM');
    // Workers never outlive the primary (they may linger as zombies until init reaps them).
    for (const pid of workers) await expect.poll(() => isRunning(pid), { timeout: 10_000 }).toBe(false);
  });
});

/** Whether a process exists and is not a zombie (from /proc/<pid>/stat). */
async function isRunning(pid: number): Promise<boolean> {
  try {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}
