import { readdir, utimes } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable, Writable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { collectRegistryGarbage } from '../../../src/app/registry.js';
import { main } from '../../../src/cli/main.js';
import { type AirlockRegistry, startAirlockRegistry } from '../../harness/airlock-registry.js';
import {
  blobOf,
  type BuiltManifest,
  describe as describeBlob,
  makeArtifact,
  makeImage,
  makeIndex,
  seededBytes,
} from './support/fixtures.js';
import { call, header, pushBlob, pushImage, pushManifest } from './support/http.js';
import { checkStorageConsistency } from './support/consistency.js';

const HOUR = 3_600_000;
let registry: AirlockRegistry;

beforeEach(async () => {
  registry = await startAirlockRegistry();
});
afterEach(() => registry.stop());

/** Makes everything in the storage look a day old, so that only the grace period decides. */
async function ageStorage(root: string): Promise<void> {
  const old = new Date(Date.now() - 24 * HOUR);
  const walk = async (dir: string): Promise<void> => {
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) await walk(path);
      else await utimes(path, old, old);
    }
  };
  await walk(root);
}

function blobPaths(image: BuiltManifest): string[] {
  return [image.digest, ...image.blobs.map((b) => b.digest)];
}

describe('registry gc', () => {
  it('removes what nothing references and keeps what is referenced, reporting bytes', async () => {
    const kept = await makeImage({ seed: 110 });
    const dropped = await makeImage({ seed: 111 });
    const loose = blobOf(seededBytes(112, 5_000), 'application/octet-stream');
    await pushImage(registry.url, 'gc/app', 'v1', kept);
    await pushImage(registry.url, 'gc/app', 'v2', dropped);
    await pushBlob(registry.url, 'gc/app', loose);
    expect((await call(registry.url, 'DELETE', `/v2/gc/app/manifests/${dropped.digest}`)).status).toBe(202);
    await ageStorage(registry.root);

    const dry = await collectRegistryGarbage({ dataDir: registry.dataDir, graceMs: HOUR, dryRun: true });
    const expected = [...blobPaths(dropped), loose.digest].sort();
    expect(dry.removed.map((i) => i.id).sort()).toEqual(expected);
    expect((await call(registry.url, 'HEAD', `/v2/gc/app/blobs/${loose.digest}`)).status).toBe(200);

    const report = await collectRegistryGarbage({ dataDir: registry.dataDir, graceMs: HOUR });
    expect(report.removed.map((i) => i.id).sort()).toEqual(expected);
    expect(report.bytes).toBe(dropped.size + dropped.blobs.reduce((n, b) => n + b.size, 0) + loose.size);
    expect((await call(registry.url, 'HEAD', `/v2/gc/app/blobs/${loose.digest}`)).status).toBe(404);
    for (const digest of blobPaths(kept))
      expect((await call(registry.url, 'HEAD', `/v2/gc/app/blobs/${digest}`)).status).toBe(200);
    expect((await call(registry.url, 'GET', '/v2/gc/app/manifests/v1')).status).toBe(200);
    expect(await checkStorageConsistency(registry.root)).toEqual([]);
  });

  it('keeps everything younger than the grace period', async () => {
    const image = await makeImage({ seed: 113 });
    await pushImage(registry.url, 'gc/young', 'v1', image);
    await call(registry.url, 'DELETE', `/v2/gc/young/manifests/${image.digest}`);
    const report = await collectRegistryGarbage({ dataDir: registry.dataDir, graceMs: HOUR });
    expect(report.removed).toEqual([]);
    expect(report.blobsKept).toBe(blobPaths(image).length);
  });

  it('removes upload sessions idle past their expiry', async () => {
    const start = await call(registry.url, 'POST', '/v2/gc/upload/blobs/uploads/');
    await call(registry.url, 'PATCH', header(start, 'location')!, { body: Buffer.alloc(1000, 1) });
    const now = Date.now();
    const early = await collectRegistryGarbage({
      dataDir: registry.dataDir,
      graceMs: HOUR,
      clock: { now: () => now + HOUR, sleep: async () => {} },
    });
    expect(early.removed).toEqual([]);
    const late = await collectRegistryGarbage({
      dataDir: registry.dataDir,
      graceMs: HOUR,
      clock: { now: () => now + 25 * HOUR, sleep: async () => {} },
    });
    expect(late.removed).toEqual([
      { kind: 'upload', id: header(start, 'location')!.split('/').pop(), bytes: 1000 },
    ]);
    expect((await call(registry.url, 'GET', header(start, 'location')!)).status).toBe(404);
  });

  it('with --delete-untagged removes manifests no tag reaches, keeping index children and referrers', async () => {
    const amd = await makeImage({ seed: 114 });
    const arm = await makeImage({ seed: 115, platform: { os: 'linux', architecture: 'arm64' } });
    const index = makeIndex([amd, arm]);
    await pushImage(registry.url, 'gc/untagged', 'v1', index);
    const sig = makeArtifact(describeBlob(index), 'application/vnd.example.sig', 'sig');
    for (const blob of sig.blobs) await pushBlob(registry.url, 'gc/untagged', blob);
    await pushManifest(registry.url, 'gc/untagged', sig.digest, sig);
    const orphan = await makeImage({ seed: 116 });
    await pushImage(registry.url, 'gc/untagged', 'tmp', orphan);
    await call(registry.url, 'DELETE', '/v2/gc/untagged/manifests/tmp');
    await ageStorage(registry.root);

    const plain = await collectRegistryGarbage({ dataDir: registry.dataDir, graceMs: HOUR });
    expect(plain.removed).toEqual([]);
    const report = await collectRegistryGarbage({
      dataDir: registry.dataDir,
      graceMs: HOUR,
      deleteUntagged: true,
    });
    expect(report.removed.filter((i) => i.kind === 'manifest').map((i) => i.id)).toEqual([orphan.digest]);
    expect(
      report.removed
        .filter((i) => i.kind === 'blob')
        .map((i) => i.id)
        .sort(),
    ).toEqual(blobPaths(orphan).sort());
    for (const ref of [amd.digest, arm.digest, sig.digest, 'v1'])
      expect((await call(registry.url, 'HEAD', `/v2/gc/untagged/manifests/${ref}`)).status).toBe(200);
    const referrers = await call(registry.url, 'GET', `/v2/gc/untagged/referrers/${index.digest}`);
    expect((referrers.json as { manifests: unknown[] }).manifests).toHaveLength(1);
  });

  it('runs safely while pushes go on: no push breaks, old garbage goes, storage stays consistent', async () => {
    const garbage = blobOf(seededBytes(117, 10_000), 'application/octet-stream');
    await pushBlob(registry.url, 'gc/live', garbage);
    await ageStorage(registry.root);
    let pushing = true;
    const pushed: BuiltManifest[] = [];
    const pusher = (async () => {
      for (let i = 0; pushing && i < 40; i++) {
        const image = await makeImage({ seed: 1200 + i, layers: 2, layerSize: 20_000 });
        await pushImage(registry.url, 'gc/live', `v${i}`, image);
        pushed.push(image);
      }
    })();
    for (let round = 0; round < 5; round++)
      await collectRegistryGarbage({ dataDir: registry.dataDir, graceMs: HOUR });
    pushing = false;
    await pusher;
    expect(pushed.length).toBeGreaterThan(0);
    expect((await call(registry.url, 'HEAD', `/v2/gc/live/blobs/${garbage.digest}`)).status).toBe(404);
    for (const image of pushed)
      expect((await call(registry.url, 'GET', `/v2/gc/live/manifests/${image.digest}`)).status).toBe(200);
    expect(await checkStorageConsistency(registry.root)).toEqual([]);
  });

  it('is reachable from the command line and says what it removed', async () => {
    const loose = blobOf(seededBytes(118, 2048), 'application/octet-stream');
    await pushBlob(registry.url, 'gc/cli', loose);
    await ageStorage(registry.root);
    let out = '';
    const stdout = new Writable({ write: (chunk, _e, done) => ((out += String(chunk)), done()) });
    const io = {
      stdin: Readable.from([]),
      stdout,
      stderr: stdout,
      env: {},
      signal: new AbortController().signal,
    };
    const code = await main(['registry', 'gc', '--data', registry.dataDir, '--grace', '30m'], io);
    expect(code).toBe(0);
    expect(out).toContain(`removed blob ${loose.digest} (2.0 KiB)`);
    expect(out).toContain('removed 1 blob(s), 0 manifest(s), 0 upload session(s): 2.0 KiB');
  });
});
