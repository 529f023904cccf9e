import { join } from 'node:path';
import { Readable } from 'node:stream';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CrashPoint } from '../../../src/registry/storage/crash-points.js';
import { startAirlockRegistryProcess } from '../../harness/airlock-registry.js';
import { hasTool, makeTempDir, skopeoCopy, skopeoInspectRaw, type TempDir } from '../../harness/index.js';
import {
  blobOf,
  type BuiltManifest,
  describe as describeBlob,
  makeArtifact,
  makeImage,
  seededBytes,
  sha256,
  writeLayout,
} from './support/fixtures.js';
import { call, header, pushBlob, pushImage, pushManifest } from './support/http.js';
import { checkStorageConsistency } from './support/consistency.js';

let work: TempDir;
let image: BuiltManifest;

beforeAll(async () => {
  work = await makeTempDir('registry-crash');
  image = await makeImage({ seed: 100, layers: 3, layerSize: 200_000 });
  await writeLayout(join(work.path, 'layout'), { image });
});
afterAll(() => work?.remove());

/** Pushes until the registry dies at `point`; expects the push to fail because the server vanished. */
async function pushIntoCrash(
  point: CrashPoint,
  dataDir: string,
  push: (url: string) => Promise<unknown>,
): Promise<void> {
  const doomed = await startAirlockRegistryProcess({ dataDir, env: { AIRLOCK_REGISTRY_CRASH_AT: point } });
  await expect(push(doomed.url)).rejects.toThrow();
  await doomed.kill('SIGKILL');
}

async function expectConsistent(dataDir: string): Promise<void> {
  expect(await checkStorageConsistency(join(dataDir, 'registry'))).toEqual([]);
}

describe('crash safety: the registry killed mid-push', () => {
  it.each<CrashPoint>(['blob-committed', 'manifest-stored', 'revision-written'])(
    'leaves consistent storage when killed at %s, and the retried push succeeds after a restart',
    async (point) => {
      const dataDir = join(work.path, point);
      await pushIntoCrash(point, dataDir, (url) => pushImage(url, 'crash/app', 'v1', image));
      await expectConsistent(dataDir);
      const restarted = await startAirlockRegistryProcess({ dataDir });
      try {
        const before = await call(restarted.url, 'GET', '/v2/crash/app/manifests/v1');
        expect(before.status).toBe(404);
        await pushImage(restarted.url, 'crash/app', 'v1', image);
        const after = await call(restarted.url, 'GET', '/v2/crash/app/manifests/v1');
        expect(after.body.equals(image.bytes)).toBe(true);
        await expectConsistent(dataDir);
      } finally {
        await restarted.stop();
      }
    },
  );

  it('keeps the old tag when killed between writing a new manifest and moving the tag', async () => {
    const dataDir = join(work.path, 'retag');
    const older = await makeImage({ seed: 101 });
    const first = await startAirlockRegistryProcess({ dataDir });
    await pushImage(first.url, 'crash/retag', 'latest', older);
    await first.stop();
    await pushIntoCrash('revision-written', dataDir, (url) => pushImage(url, 'crash/retag', 'latest', image));
    await expectConsistent(dataDir);
    const restarted = await startAirlockRegistryProcess({ dataDir });
    try {
      expect(
        header(
          await call(restarted.url, 'HEAD', '/v2/crash/retag/manifests/latest'),
          'docker-content-digest',
        ),
      ).toBe(older.digest);
    } finally {
      await restarted.stop();
    }
  });

  it('drops a referrer written halfway and lists it once pushed again', async () => {
    const dataDir = join(work.path, 'referrer');
    const sig = makeArtifact(describeBlob(image), 'application/vnd.example.sig', 'signature');
    const first = await startAirlockRegistryProcess({ dataDir });
    await pushImage(first.url, 'crash/ref', 'v1', image);
    for (const blob of sig.blobs) await pushBlob(first.url, 'crash/ref', blob);
    await first.stop();
    await pushIntoCrash('manifest-stored', dataDir, (url) => pushManifest(url, 'crash/ref', sig.digest, sig));
    const restarted = await startAirlockRegistryProcess({ dataDir });
    try {
      const listed = await call(restarted.url, 'GET', `/v2/crash/ref/referrers/${image.digest}`);
      expect((listed.json as { manifests: unknown[] }).manifests).toEqual([]);
      expect((await pushManifest(restarted.url, 'crash/ref', sig.digest, sig)).status).toBe(201);
      const again = await call(restarted.url, 'GET', `/v2/crash/ref/referrers/${image.digest}`);
      expect((again.json as { manifests: { digest: string }[] }).manifests.map((m) => m.digest)).toEqual([
        sig.digest,
      ]);
    } finally {
      await restarted.stop();
    }
  });

  it('resumes a chunked upload after a crash mid-chunk: only whole chunks count', async () => {
    const dataDir = join(work.path, 'chunked');
    const blob = blobOf(seededBytes(102, 3_000_000), 'application/octet-stream');
    const first = await startAirlockRegistryProcess({ dataDir });
    const start = await call(first.url, 'POST', '/v2/crash/chunks/blobs/uploads/');
    const location = header(start, 'location')!;
    await call(first.url, 'PATCH', location, {
      body: blob.bytes.subarray(0, 1_000_000),
      headers: { 'content-range': '0-999999' },
    });
    // Send half of the second chunk, then kill the server while it waits for the rest.
    let sent = 0;
    const half = async function* () {
      yield blob.bytes.subarray(1_000_000, 1_500_000);
      sent = 500_000;
      await new Promise((resolve) => setTimeout(resolve, 60_000));
    };
    const pending = request(`${first.url}${location}`, {
      method: 'PATCH',
      body: Readable.from(half()),
      headers: { 'content-range': '1000000-1999999', 'content-length': '1000000' },
    }).catch((error: unknown) => error);
    while (sent === 0) await new Promise((resolve) => setTimeout(resolve, 10));
    await new Promise((resolve) => setTimeout(resolve, 200));
    await first.kill('SIGKILL');
    await pending;

    const restarted = await startAirlockRegistryProcess({ dataDir });
    try {
      const status = await call(restarted.url, 'GET', location);
      expect(status.status).toBe(204);
      expect(header(status, 'range')).toBe('0-999999');
      const rest = await call(restarted.url, 'PATCH', location, {
        body: blob.bytes.subarray(1_000_000),
        headers: { 'content-range': '1000000-2999999' },
      });
      expect(rest.status).toBe(202);
      const done = await call(restarted.url, 'PUT', `${location}?digest=${blob.digest}`);
      expect(done.status).toBe(201);
      expect(sha256((await call(restarted.url, 'GET', `/v2/crash/chunks/blobs/${blob.digest}`)).body)).toBe(
        blob.digest,
      );
      await expectConsistent(dataDir);
    } finally {
      await restarted.stop();
    }
  });

  it('never commits the bytes of a chunk whose state update a crash prevented', async () => {
    const dataDir = join(work.path, 'chunk-state');
    const blob = blobOf(seededBytes(103, 200_000), 'application/octet-stream');
    const first = await startAirlockRegistryProcess({ dataDir });
    const start = await call(first.url, 'POST', '/v2/crash/state/blobs/uploads/');
    const location = header(start, 'location')!;
    await call(first.url, 'PATCH', location, {
      body: blob.bytes.subarray(0, 100_000),
      headers: { 'content-range': '0-99999' },
    });
    await first.stop();
    await pushIntoCrash('upload-chunk-written', dataDir, (url) =>
      call(url, 'PATCH', location, {
        body: blob.bytes.subarray(100_000),
        headers: { 'content-range': '100000-199999' },
      }),
    );
    const restarted = await startAirlockRegistryProcess({ dataDir });
    try {
      expect(header(await call(restarted.url, 'GET', location), 'range')).toBe('0-99999');
      // The client decides the blob is what it had sent before: the stray bytes must not end up in it.
      const shorter = blobOf(blob.bytes.subarray(0, 100_000), 'application/octet-stream');
      expect((await call(restarted.url, 'PUT', `${location}?digest=${shorter.digest}`)).status).toBe(201);
      const stored = await call(restarted.url, 'GET', `/v2/crash/state/blobs/${shorter.digest}`);
      expect(stored.body.length).toBe(100_000);
      await expectConsistent(dataDir);
    } finally {
      await restarted.stop();
    }
  });

  it.runIf(hasTool('skopeo'))('lets skopeo retry a copy that a crash interrupted', async () => {
    const dataDir = join(work.path, 'skopeo');
    await pushIntoCrash('blob-committed', dataDir, (url) =>
      skopeoCopy(`oci:${join(work.path, 'layout')}:image`, `${url.slice(7)}/crash/skopeo:v1`),
    );
    const restarted = await startAirlockRegistryProcess({ dataDir });
    try {
      await skopeoCopy(`oci:${join(work.path, 'layout')}:image`, `${restarted.address}/crash/skopeo:v1`, {
        preserveDigests: true,
      });
      expect((await skopeoInspectRaw(`${restarted.address}/crash/skopeo:v1`)).equals(image.bytes)).toBe(true);
      await expectConsistent(dataDir);
    } finally {
      await restarted.stop();
    }
  });
});
