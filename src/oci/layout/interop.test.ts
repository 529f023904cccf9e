import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { gzipSync } from 'node:zlib';
import tar from 'tar-stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { digestOf } from '../../kernel/index.js';
import {
  blobFixture,
  collect,
  pushFixture,
  readAll,
  referrerFixture,
  type ManifestFixture,
} from '../content/testing/fixtures.js';
import { encodeManifest, type Manifest } from '../manifest/index.js';
import { MediaType } from '../mediatype/index.js';
import type { Target } from '../content/index.js';
import { OciLayoutStore } from './layout-store.js';

const run = promisify(execFile);

/** Whether a command-line tool is installed; CI must have it, elsewhere its tests are skipped. */
async function hasTool(name: string): Promise<boolean> {
  try {
    await run(name, ['--version']);
    return true;
  } catch {
    if (process.env.CI) return true; // Let the tests run and fail with the real error.
    console.warn(`${name} is not installed: skipping its OCI layout interoperability tests`);
    return false;
  }
}

const skopeoInstalled = await hasTool('skopeo');
const umociInstalled = await hasTool('umoci');

async function skopeo(...args: string[]): Promise<Buffer> {
  const { stdout } = await run('skopeo', ['--insecure-policy', ...args], {
    encoding: 'buffer',
    maxBuffer: 16 * 1024 * 1024,
  });
  return stdout;
}

describe('OCI image layouts shared with other tools', () => {
  let directory: string;
  beforeEach(async () => {
    directory = await mkdtemp(join(tmpdir(), 'airlock-interop-'));
  });
  afterEach(() => rm(directory, { recursive: true, force: true }));

  async function writtenLayout(): Promise<{
    store: OciLayoutStore;
    root: string;
    image: ManifestFixture;
    index: ManifestFixture;
  }> {
    const root = join(directory, 'ours');
    const store = await OciLayoutStore.open(root, { create: true });
    const image = await runnableImage('amd64', 'hello from amd64\n');
    const index = runnableIndex([image, await runnableImage('arm64', 'hello from arm64\n')]);
    await pushFixture(store, image, { tag: 'v1' });
    await pushFixture(store, index, { tag: 'multi' });
    await pushFixture(
      store,
      referrerFixture(image.manifest.descriptor, { artifactType: 'application/vnd.example.sbom.v1' }),
    );
    return { store, root, image, index };
  }

  describe.skipIf(!skopeoInstalled)('skopeo', () => {
    it('reads the exact manifest bytes the store wrote', async () => {
      const { root, image, index } = await writtenLayout();
      expect(
        (await skopeo('inspect', '--raw', `oci:${root}:v1`)).equals(Buffer.from(image.manifest.bytes)),
      ).toBe(true);
      expect(
        (await skopeo('inspect', '--raw', `oci:${root}:multi`)).equals(Buffer.from(index.manifest.bytes)),
      ).toBe(true);
    });

    it('writes layouts the store reads: a single image and a whole index', async () => {
      const { root, image, index } = await writtenLayout();
      const copied = join(directory, 'theirs');
      await skopeo('copy', `oci:${root}:v1`, `oci:${copied}:v1`);
      await skopeo('copy', '--all', `oci:${root}:multi`, `oci:${copied}:multi`);

      const store = await OciLayoutStore.open(copied);
      expect(await collect(store.listTags())).toEqual(['multi', 'v1']);
      expect((await store.resolve('v1')).digest).toBe(image.manifest.descriptor.digest);
      expect((await store.resolve('multi')).digest).toBe(index.manifest.descriptor.digest);
      await expectReadable(store, image);
      await expectReadable(store, index);
    });
  });

  describe.skipIf(!umociInstalled)('umoci', () => {
    it('lists the tags of a layout the store wrote', async () => {
      const { root } = await writtenLayout();
      const { stdout } = await run('umoci', ['ls', '--layout', root]);
      expect(stdout.split('\n').filter(Boolean).sort()).toEqual(['multi', 'v1']);
    });
  });
});

/** Fetches a fixture's manifests and blobs back through the store, each verified. */
async function expectReadable(store: Target, fixture: ManifestFixture): Promise<void> {
  const manifest: Manifest = await store.fetchManifest(fixture.manifest.descriptor);
  expect(Buffer.from(manifest.bytes).equals(Buffer.from(fixture.manifest.bytes))).toBe(true);
  for (const blob of fixture.blobs)
    expect((await readAll(await store.fetchBlob(blob.descriptor))).equals(blob.bytes)).toBe(true);
  for (const child of fixture.children) await expectReadable(store, child);
}

/** An image other tools accept as real: a gzipped tar layer with one file, and a config naming its diff ID. */
async function runnableImage(architecture: string, text: string): Promise<ManifestFixture> {
  const archive = await tarWithFile('hello.txt', Buffer.from(text));
  const layer = blobFixture(gzipSync(archive), MediaType.OciLayerGzip);
  const config = blobFixture(
    Buffer.from(
      JSON.stringify({
        architecture,
        os: 'linux',
        config: { Cmd: ['/bin/true'] },
        rootfs: { type: 'layers', diff_ids: [digestOf(archive)] },
      }),
    ),
    MediaType.OciConfig,
  );
  const manifest = encodeManifest({
    schemaVersion: 2,
    mediaType: MediaType.OciManifest,
    config: config.descriptor,
    layers: [layer.descriptor],
  });
  return { manifest, blobs: [config, layer], children: [] };
}

function runnableIndex(images: ManifestFixture[]): ManifestFixture {
  const manifests = images.map((image) => {
    const config = JSON.parse(image.blobs[0]!.bytes.toString('utf8')) as { architecture: string; os: string };
    return { ...image.manifest.descriptor, platform: { architecture: config.architecture, os: config.os } };
  });
  return {
    manifest: encodeManifest({ schemaVersion: 2, mediaType: MediaType.OciIndex, manifests }),
    blobs: [],
    children: images,
  };
}

/** A tar archive holding one regular file. */
async function tarWithFile(name: string, content: Buffer): Promise<Buffer> {
  const pack = tar.pack();
  pack.entry({ name, size: content.length, mode: 0o644, mtime: new Date(Date.UTC(2024, 0, 1)) }, content);
  pack.finalize();
  const chunks: Buffer[] = [];
  for await (const chunk of pack) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}
