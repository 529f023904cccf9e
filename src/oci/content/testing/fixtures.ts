import { Readable } from 'node:stream';
import { MediaType } from '../../mediatype/index.js';
import {
  EMPTY_CONFIG,
  EMPTY_CONFIG_BYTES,
  describeBytes,
  encodeManifest,
  type Descriptor,
  type ImageIndex,
  type ImageManifest,
  type Manifest,
  type Platform,
} from '../../manifest/index.js';
import type { Target } from '../interfaces.js';

/** Content to push as a blob, with its descriptor. */
export interface BlobFixture {
  descriptor: Descriptor;
  bytes: Buffer;
}

/** A manifest with everything it needs pushed first: its blobs and its child manifests. */
export interface ManifestFixture {
  manifest: Manifest;
  blobs: BlobFixture[];
  children: ManifestFixture[];
}

/** Deterministic pseudo-random bytes (xorshift32), so fixtures are reproducible from a seed. */
export function seededBytes(seed: number, size: number): Buffer {
  const out = Buffer.allocUnsafe(size);
  let state = seed >>> 0 || 0x9e3779b9;
  for (let i = 0; i < size; i++) {
    state ^= state << 13;
    state >>>= 0;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    out[i] = state & 0xff;
  }
  return out;
}

export function blobFixture(bytes: Buffer, mediaType: string = MediaType.OciLayerGzip): BlobFixture {
  return { descriptor: describeBytes(bytes, mediaType), bytes };
}

export interface ImageFixtureOptions {
  seed?: number;
  layers?: number;
  layerSize?: number;
  /** A Docker v2 schema 2 manifest instead of an OCI one. */
  docker?: boolean;
  platform?: Platform;
  subject?: Descriptor;
  annotations?: Record<string, string>;
}

/** An image manifest with a config and seeded random layers. */
export function imageFixture(options: ImageFixtureOptions = {}): ManifestFixture {
  const seed = options.seed ?? 1;
  const platform = options.platform ?? { os: 'linux', architecture: 'amd64' };
  const layers = Array.from({ length: options.layers ?? 2 }, (_, i) =>
    blobFixture(
      seededBytes(seed * 1000 + i, options.layerSize ?? 1024),
      options.docker ? MediaType.DockerLayerGzip : MediaType.OciLayerGzip,
    ),
  );
  const configJson = {
    architecture: platform.architecture,
    os: platform.os,
    rootfs: { type: 'layers', diff_ids: layers.map((l) => l.descriptor.digest) },
  };
  const config = blobFixture(
    Buffer.from(JSON.stringify(configJson)),
    options.docker ? MediaType.DockerConfig : MediaType.OciConfig,
  );
  const image: ImageManifest = {
    schemaVersion: 2,
    mediaType: options.docker ? MediaType.DockerManifest : MediaType.OciManifest,
    config: config.descriptor,
    layers: layers.map((l) => l.descriptor),
  };
  if (options.subject) image.subject = options.subject;
  if (options.annotations) image.annotations = options.annotations;
  return { manifest: encodeManifest(image), blobs: [config, ...layers], children: [] };
}

export interface IndexFixtureOptions {
  subject?: Descriptor;
  artifactType?: string;
  annotations?: Record<string, string>;
}

/** An OCI image index over the given manifests, each entry carrying the platform it was built for. */
export function indexFixture(
  children: ManifestFixture[],
  options: IndexFixtureOptions = {},
): ManifestFixture {
  const index: ImageIndex = {
    schemaVersion: 2,
    mediaType: MediaType.OciIndex,
    manifests: children.map((child, i) => ({
      ...child.manifest.descriptor,
      platform: { os: 'linux', architecture: i % 2 === 0 ? 'amd64' : 'arm64' },
    })),
  };
  if (options.artifactType) index.artifactType = options.artifactType;
  if (options.subject) index.subject = options.subject;
  if (options.annotations) index.annotations = options.annotations;
  return { manifest: encodeManifest(index), blobs: [], children };
}

export interface ReferrerFixtureOptions {
  seed?: number;
  /** Set as the manifest's `artifactType` (with the empty config), as oras and cosign do. */
  artifactType?: string;
  /** Without `artifactType`: the config media type, which then names the artifact type. */
  configMediaType?: string;
  annotations?: Record<string, string>;
}

/** An artifact manifest (signature, SBOM, …) whose `subject` is the given manifest. */
export function referrerFixture(subject: Descriptor, options: ReferrerFixtureOptions = {}): ManifestFixture {
  const payload = blobFixture(seededBytes(options.seed ?? 7, 256), 'application/vnd.example.payload.v1');
  const config = options.artifactType
    ? { descriptor: EMPTY_CONFIG, bytes: Buffer.from(EMPTY_CONFIG_BYTES) }
    : blobFixture(
        Buffer.from(`{"seed":${options.seed ?? 7}}`),
        options.configMediaType ?? 'application/vnd.example.config.v1+json',
      );
  const image: ImageManifest = {
    schemaVersion: 2,
    mediaType: MediaType.OciManifest,
    config: {
      mediaType: config.descriptor.mediaType,
      digest: config.descriptor.digest,
      size: config.descriptor.size,
    },
    layers: [payload.descriptor],
    subject: { mediaType: subject.mediaType, digest: subject.digest, size: subject.size },
  };
  if (options.artifactType) image.artifactType = options.artifactType;
  if (options.annotations) image.annotations = options.annotations;
  return { manifest: encodeManifest(image), blobs: [config, payload], children: [] };
}

export interface PushFixtureOptions {
  tag?: string;
  signal?: AbortSignal;
}

/** Pushes a fixture the way a copy does: blobs, then child manifests, then the manifest. */
export async function pushFixture(
  store: Target,
  fixture: ManifestFixture,
  options: PushFixtureOptions = {},
): Promise<void> {
  const { signal } = options;
  for (const blob of fixture.blobs) await store.pushBlob(blob.descriptor, streamOf(blob.bytes), { signal });
  for (const child of fixture.children) await pushFixture(store, child, { signal });
  await store.pushManifest(fixture.manifest, { tag: options.tag, signal });
}

/** A byte stream over `bytes`, delivered in chunks as a socket or file would. */
export function streamOf(bytes: Uint8Array, chunkSize = 16 * 1024): Readable {
  function* chunks() {
    for (let offset = 0; offset < bytes.length; offset += chunkSize) {
      yield Buffer.from(bytes.subarray(offset, offset + chunkSize));
    }
  }
  return Readable.from(chunks(), { objectMode: false });
}

/** Reads a stream to its end. */
export async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** Gathers an async iterable (a tag listing) into an array. */
export async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of iterable) out.push(item);
  return out;
}
