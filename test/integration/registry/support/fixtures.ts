/**
 * Images, indexes and artifacts built by code for the registry tests: seeded random
 * layers (real tar+gzip), OCI manifests, multi-platform indexes, referrer artifacts, and
 * OCI image layout directories for skopeo. Kept private to these tests until the shared
 * fixtures in test/fixtures cover the same ground.
 */
import { createHash } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import tar from 'tar-stream';

export interface Blob {
  mediaType: string;
  digest: string;
  size: number;
  bytes: Buffer;
}

export interface Descriptor {
  mediaType: string;
  digest: string;
  size: number;
  artifactType?: string;
  annotations?: Record<string, string>;
  platform?: { os: string; architecture: string; variant?: string };
}

export interface BuiltManifest extends Blob {
  /** Blobs this manifest needs (config and layers), not including child manifests. */
  blobs: Blob[];
  /** Child manifests of an index. */
  children: BuiltManifest[];
  json: Record<string, unknown>;
}

export function sha256(bytes: Buffer | string): string {
  return `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
}

/** Deterministic pseudo-random bytes (xorshift32) so that fixtures are identical run to run. */
export function seededBytes(seed: number, size: number): Buffer {
  const out = Buffer.allocUnsafe(size);
  let x = seed >>> 0 || 0x9e3779b9;
  let i = 0;
  for (; i + 4 <= size; i += 4) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out.writeUInt32LE(x >>> 0, i);
  }
  for (; i < size; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x & 0xff;
  }
  return out;
}

export function blobOf(bytes: Buffer, mediaType: string): Blob {
  return { mediaType, digest: sha256(bytes), size: bytes.length, bytes };
}

export function describe(blob: Blob, extra: Partial<Descriptor> = {}): Descriptor {
  return { mediaType: blob.mediaType, digest: blob.digest, size: blob.size, ...extra };
}

/** A tar+gzip layer holding one file of `size` seeded random bytes. */
export async function makeLayer(seed: number, size: number): Promise<Blob> {
  const pack = tar.pack();
  pack.entry(
    { name: `file-${seed}.bin`, size, mtime: new Date(0), mode: 0o644, uid: 0, gid: 0 },
    seededBytes(seed, size),
  );
  pack.finalize();
  const chunks: Buffer[] = [];
  for await (const chunk of pack) chunks.push(chunk as Buffer);
  return blobOf(gzipSync(Buffer.concat(chunks), { level: 1 }), 'application/vnd.oci.image.layer.v1.tar+gzip');
}

export interface ImageOptions {
  seed: number;
  layers?: number;
  layerSize?: number;
  platform?: { os: string; architecture: string; variant?: string };
  annotations?: Record<string, string>;
  /** Extra layers shared with other images (for mount and concurrency tests). */
  sharedLayers?: Blob[];
}

export async function makeImage(options: ImageOptions): Promise<BuiltManifest> {
  const platform = options.platform ?? { os: 'linux', architecture: 'amd64' };
  const layers = [...(options.sharedLayers ?? [])];
  for (let i = 0; i < (options.layers ?? 2); i++)
    layers.push(await makeLayer(options.seed * 100 + i, options.layerSize ?? 4096));
  const config = blobOf(
    Buffer.from(
      JSON.stringify({
        architecture: platform.architecture,
        os: platform.os,
        ...(platform.variant ? { variant: platform.variant } : {}),
        rootfs: { type: 'layers', diff_ids: layers.map((l) => l.digest) },
        config: { Env: [`SEED=${options.seed}`] },
      }),
    ),
    'application/vnd.oci.image.config.v1+json',
  );
  const json: Record<string, unknown> = {
    schemaVersion: 2,
    mediaType: 'application/vnd.oci.image.manifest.v1+json',
    config: describe(config),
    layers: layers.map((l) => describe(l)),
  };
  if (options.annotations) json.annotations = options.annotations;
  return manifestOf(json, [config, ...layers], []);
}

export function makeIndex(children: BuiltManifest[], annotations?: Record<string, string>): BuiltManifest {
  const json: Record<string, unknown> = {
    schemaVersion: 2,
    mediaType: 'application/vnd.oci.image.index.v1+json',
    manifests: children.map((c) => ({ ...describe(c), platform: platformOf(c) })),
  };
  if (annotations) json.annotations = annotations;
  return manifestOf(json, [], children);
}

/** An artifact (image manifest with the empty config) that refers to `subject`. */
export function makeArtifact(
  subject: Descriptor,
  artifactType: string,
  payload: string,
  annotations?: Record<string, string>,
): BuiltManifest {
  const empty = blobOf(Buffer.from('{}'), 'application/vnd.oci.empty.v1+json');
  const layer = blobOf(Buffer.from(payload), 'application/octet-stream');
  const json: Record<string, unknown> = {
    schemaVersion: 2,
    mediaType: 'application/vnd.oci.image.manifest.v1+json',
    artifactType,
    config: describe(empty),
    layers: [describe(layer)],
    subject: { mediaType: subject.mediaType, digest: subject.digest, size: subject.size },
  };
  if (annotations) json.annotations = annotations;
  return manifestOf(json, [empty, layer], []);
}

function manifestOf(json: Record<string, unknown>, blobs: Blob[], children: BuiltManifest[]): BuiltManifest {
  const bytes = Buffer.from(JSON.stringify(json));
  return { ...blobOf(bytes, json.mediaType as string), blobs, children, json };
}

function platformOf(manifest: BuiltManifest): Descriptor['platform'] {
  const config = manifest.blobs[0];
  const parsed = config
    ? (JSON.parse(config.bytes.toString('utf8')) as { os: string; architecture: string; variant?: string })
    : undefined;
  return parsed
    ? {
        os: parsed.os,
        architecture: parsed.architecture,
        ...(parsed.variant ? { variant: parsed.variant } : {}),
      }
    : undefined;
}

/** Every blob and manifest a manifest needs, children first. */
export function allContent(manifest: BuiltManifest): Blob[] {
  const out = new Map<string, Blob>();
  const visit = (m: BuiltManifest) => {
    for (const child of m.children) visit(child);
    for (const blob of m.blobs) out.set(blob.digest, blob);
    out.set(m.digest, m);
  };
  visit(manifest);
  return [...out.values()];
}

/** Writes an OCI image layout (image-spec v1.1 image-layout.md) with the given tags. */
export async function writeLayout(dir: string, tagged: Record<string, BuiltManifest>): Promise<void> {
  await mkdir(join(dir, 'blobs', 'sha256'), { recursive: true });
  await writeFile(join(dir, 'oci-layout'), JSON.stringify({ imageLayoutVersion: '1.0.0' }));
  const manifests: Descriptor[] = [];
  for (const [tag, manifest] of Object.entries(tagged)) {
    for (const blob of allContent(manifest))
      await writeFile(join(dir, 'blobs', 'sha256', blob.digest.slice(7)), blob.bytes);
    manifests.push({ ...describe(manifest), annotations: { 'org.opencontainers.image.ref.name': tag } });
  }
  await writeFile(
    join(dir, 'index.json'),
    JSON.stringify({ schemaVersion: 2, mediaType: 'application/vnd.oci.image.index.v1+json', manifests }),
  );
}
