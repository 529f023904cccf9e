/**
 * A large synthetic image for the layer reader's benchmark, shaped like the images Airlock
 * scans: a Debian-like base with a full dpkg status, shared libraries and executables, an upper
 * layer replacing the status and whiting out files, node_modules trees, Python site-packages,
 * Go binaries (ELF with Go build-info magic) and large data files. Contents come from seeded
 * pools so that gzip sees realistic ratios (text ~3:1, machine code ~1.6:1).
 */
import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import { pack } from 'tar-stream';
import { OciLayoutStore } from '../../../oci/layout/index.js';
import {
  describeBytes,
  encodeManifest,
  type Descriptor,
  type ImageManifest,
} from '../../../oci/manifest/index.js';
import { MediaType } from '../../../oci/mediatype/index.js';

const MiB = 1024 * 1024;

/** The first bytes of an ELF file. */
export const ELF_MAGIC = Buffer.from([0x7f, 0x45, 0x4c, 0x46]);
/** What marks the build info section of a Go binary (`runtime/debug.BuildInfo`). */
export const GO_BUILDINFO_MAGIC = Buffer.from('\xff Go buildinf:', 'latin1');

export interface SyntheticImage {
  layers: number;
  compressed: number;
  uncompressed: number;
  files: number;
}

interface FileSpec {
  name: string;
  body: Buffer;
  mode?: number;
}

type LayerKind = 'base' | 'update' | 'node' | 'python' | 'go' | 'data';
const LAYER_PLAN: { kind: LayerKind; share: number }[] = [
  { kind: 'base', share: 0.16 },
  { kind: 'update', share: 0.04 },
  { kind: 'node', share: 0.14 },
  { kind: 'node', share: 0.14 },
  { kind: 'python', share: 0.12 },
  { kind: 'go', share: 0.2 },
  { kind: 'data', share: 0.2 },
];

/**
 * Writes the image into a new OCI layout at `dir`, tagged `tag`: about `totalBytes` of tar over
 * seven gzip layers (zlib's default level, as registries serve them), built from seeded pools.
 */
export async function buildSyntheticImage(
  dir: string,
  totalBytes: number,
  tag: string,
): Promise<SyntheticImage> {
  const store = await OciLayoutStore.open(dir, { create: true });
  const pools = makePools();
  const built = await Promise.all(
    LAYER_PLAN.map((plan, index) =>
      writeLayer(dir, store, generateLayer(plan.kind, index, plan.share * totalBytes, pools)),
    ),
  );
  const config = Buffer.from(
    JSON.stringify({
      architecture: 'amd64',
      os: 'linux',
      rootfs: { type: 'layers', diff_ids: built.map((b) => b.diffId) },
    }),
  );
  const configDescriptor = describeBytes(config, MediaType.OciConfig);
  await store.pushBlob(configDescriptor, Readable.from([config]));
  const manifest: ImageManifest = {
    schemaVersion: 2,
    mediaType: MediaType.OciManifest,
    config: configDescriptor,
    layers: built.map((b) => b.descriptor),
  };
  await store.pushManifest(encodeManifest(manifest), { tag });
  return {
    layers: built.length,
    compressed: built.reduce((n, b) => n + b.descriptor.size, 0),
    uncompressed: built.reduce((n, b) => n + b.tarBytes, 0),
    files: built.reduce((n, b) => n + b.files, 0),
  };
}

async function writeLayer(
  dir: string,
  store: OciLayoutStore,
  files: Iterable<FileSpec>,
): Promise<{ descriptor: Descriptor; diffId: string; tarBytes: number; files: number }> {
  const temp = join(dir, `layer-${Math.random().toString(36).slice(2)}.tar.gz`);
  const archive = pack();
  const tarHash = createHash('sha256');
  const blobHash = createHash('sha256');
  let tarBytes = 0;
  let count = 0;
  const written = pipeline(
    // tar-stream's pack is a streamx stream: an async iterable of Buffers to Node's pipeline.
    archive as AsyncIterable<Buffer>,
    async function* (source: AsyncIterable<Buffer>) {
      for await (const chunk of source) {
        tarHash.update(chunk);
        tarBytes += chunk.length;
        yield chunk;
      }
    },
    createGzip(),
    async function* (source: AsyncIterable<Buffer>) {
      for await (const chunk of source) {
        blobHash.update(chunk);
        yield chunk;
      }
    },
    createWriteStream(temp),
  );
  for (const file of files) {
    count++;
    await new Promise<void>((resolve, reject) =>
      archive.entry({ name: file.name, mode: file.mode ?? 0o644, mtime: new Date(0) }, file.body, (error) =>
        error ? reject(error) : resolve(),
      ),
    );
  }
  archive.finalize();
  await written;
  const size = (await stat(temp)).size;
  const descriptor = { mediaType: MediaType.OciLayerGzip, digest: `sha256:${blobHash.digest('hex')}`, size };
  await store.pushBlob(descriptor, createReadStream(temp));
  await rm(temp);
  return { descriptor, diffId: `sha256:${tarHash.digest('hex')}`, tarBytes, files: count };
}

interface Pools {
  text: Buffer;
  binary: Buffer;
  random: () => number;
}

/** Seeded content pools: English-like text (~3:1 under gzip) and machine code-like bytes (~1.6:1). */
function makePools(): Pools {
  let seed = 0x2545f491;
  const random = () => {
    seed ^= seed << 13;
    seed ^= seed >>> 17;
    seed ^= seed << 5;
    return (seed >>> 0) / 0x100000000;
  };
  const words = (
    'the of and to in is for that with on as are this by be from or it at an which license software ' +
    'copyright permission notice library function return value error file path version package module'
  ).split(' ');
  const text = Buffer.alloc(16 * MiB);
  for (let offset = 0; offset < text.length;) {
    offset += text.write(
      `${words[Math.floor(random() * words.length)]}${random() < 0.08 ? '\n' : ' '}`,
      offset,
    );
  }
  const binary = Buffer.alloc(16 * MiB);
  for (let offset = 0; offset < binary.length; offset += 64) {
    // Machine code repeats itself: about half of each block is copied from a little earlier.
    if (random() < 0.45 && offset >= 4096) {
      const from = offset - 64 * (1 + Math.floor(random() * 60));
      binary.copy(binary, offset, from, from + 64);
    } else {
      for (let i = 0; i < 64; i++) binary[offset + i] = random() < 0.3 ? 0 : Math.floor(random() * 256);
    }
  }
  return { text, binary, random };
}

function slice(pool: Buffer, size: number, random: () => number): Buffer {
  const length = Math.min(size, pool.length);
  const offset = Math.floor(random() * (pool.length - length));
  return pool.subarray(offset, offset + length);
}

function elf(pools: Pools, size: number, go: boolean): Buffer {
  const body = Buffer.from(slice(pools.binary, size, pools.random));
  ELF_MAGIC.copy(body, 0);
  if (go && body.length > 4096) GO_BUILDINFO_MAGIC.copy(body, Math.floor(body.length / 2));
  return body;
}

function* generateLayer(kind: LayerKind, index: number, budget: number, pools: Pools): Generator<FileSpec> {
  const { random } = pools;
  let used = 0;
  const emit = (file: FileSpec): FileSpec => {
    used += file.body.length + 512;
    return file;
  };
  if (kind === 'base') {
    yield emit({
      name: 'etc/os-release',
      body: Buffer.from('PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nID=debian\nVERSION_ID="12"\n'),
    });
    yield emit({ name: 'var/lib/dpkg/status', body: dpkgStatus(2500, 1) });
  }
  if (kind === 'update') {
    yield emit({ name: 'var/lib/dpkg/status', body: dpkgStatus(2500, 2) });
    for (let i = 0; i < 200; i++)
      yield emit({ name: `usr/share/doc/pkg${i}/.wh.changelog.gz`, body: Buffer.alloc(0) });
  }
  for (let i = 0; used < budget; i++) {
    const file = nextFile(kind, index, i, pools, random);
    yield emit(file);
  }
}

function nextFile(kind: LayerKind, layer: number, i: number, pools: Pools, random: () => number): FileSpec {
  const small = () => 500 + Math.floor(random() * random() * 40_000);
  switch (kind) {
    case 'base':
    case 'update':
      if (i % 10 === 0)
        return {
          name: `usr/bin/tool${layer}-${i}`,
          body: elf(pools, 20_000 + Math.floor(random() * 2 * MiB), false),
          mode: 0o755,
        };
      if (i % 10 < 4)
        return {
          name: `usr/lib/x86_64-linux-gnu/lib${layer}-${i}.so.1`,
          body: elf(pools, small() * 4, false),
        };
      return {
        name: `usr/share/doc/pkg${i % 2500}/copyright-${layer}-${i}`,
        body: slice(pools.text, small(), random),
      };
    case 'node': {
      const pkg = `app/node_modules/pkg-${layer}-${Math.floor(i / 6)}`;
      if (i % 6 === 0) {
        const json = JSON.stringify(
          {
            name: `pkg-${layer}-${i}`,
            version: `1.${i % 30}.0`,
            license: 'MIT',
            dependencies: { a: '^1.0.0' },
          },
          null,
          2,
        );
        return { name: `${pkg}/package.json`, body: Buffer.from(json) };
      }
      return { name: `${pkg}/lib/file${i % 6}.js`, body: slice(pools.text, small(), random) };
    }
    case 'python': {
      const dist = `usr/lib/python3/site-packages/dist${layer}_${Math.floor(i / 8)}`;
      if (i % 8 === 0)
        return {
          name: `${dist}-1.0.dist-info/METADATA`,
          body: Buffer.from(`Metadata-Version: 2.1\nName: dist${i}\nVersion: 1.0\nLicense: MIT\n`),
        };
      return { name: `${dist}/module${i % 8}.py`, body: slice(pools.text, small(), random) };
    }
    case 'go':
      return {
        name: `usr/local/bin/service${i}`,
        body: elf(pools, 8 * MiB + Math.floor(random() * 24 * MiB), true),
        mode: 0o755,
      };
    case 'data':
      return {
        name: `srv/data/blob${i}.bin`,
        body: slice(random() < 0.5 ? pools.text : pools.binary, 16 * MiB, random),
      };
  }
}

function dpkgStatus(packages: number, revision: number): Buffer {
  const stanzas: string[] = [];
  for (let i = 0; i < packages; i++) {
    stanzas.push(
      [
        `Package: package-${i}`,
        'Status: install ok installed',
        'Priority: optional',
        'Section: libs',
        `Installed-Size: ${100 + i}`,
        'Maintainer: Debian Maintainers <debian@example.org>',
        'Architecture: amd64',
        `Source: source-${Math.floor(i / 3)} (${revision}.${i}-1)`,
        `Version: ${revision}.${i}-1+deb12u1`,
        `Depends: libc6 (>= 2.34), package-${(i + 1) % packages}`,
        `Description: synthetic package ${i}`,
        ' A longer description line that real packages have, wrapped the way',
        ' dpkg writes it, to give the status file its realistic size.',
      ].join('\n'),
    );
  }
  return Buffer.from(`${stanzas.join('\n\n')}\n`);
}
