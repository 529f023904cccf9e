import { z } from 'zod';
import type { ActionContext, ActionDefinition } from '../../engine/actions/contract.js';
import type { ReadOnlyTarget } from '../../oci/content/index.js';
import { type Descriptor, type Manifest, type Platform, formatPlatform } from '../../oci/manifest/index.js';
import { MediaType } from '../../oci/mediatype/index.js';
import { defineAction } from '../support/define-action.js';
import { describeLocation, openImage, parseLocation, registryOfLocation } from '../support/oci-locations.js';
import { locationField } from '../support/schemas.js';

export const InspectInput = z.strictObject({
  image: locationField.describe('the image, by tag or digest'),
});
export type InspectInput = z.infer<typeof InspectInput>;

const ManifestEntry = z.object({
  digest: z.string(),
  mediaType: z.string(),
  size: z.number(),
  platform: z.string().optional(),
  artifactType: z.string().optional(),
});

export const InspectOutput = z.object({
  /** The image as it was named, canonical (`docker.io/library/node:22`). */
  reference: z.string(),
  digest: z.string(),
  mediaType: z.string(),
  artifactType: z.string().optional(),
  /** Size of the manifest itself, in bytes. */
  size: z.number(),
  /** `os/arch[/variant]` of the image, or of every image of an index (attestations left out). */
  platforms: z.array(z.string()),
  annotations: z.record(z.string(), z.string()),
  /** An index's entries, to fan out over per-platform digests. Empty for an image manifest. */
  manifests: z.array(ManifestEntry),
});
export type InspectOutput = z.infer<typeof InspectOutput>;

/**
 * `oci/inspect@v1`: what a tag or digest names — digest, media type, platforms, annotations
 * — without pulling layers. Queued per registry: a manifest GET counts against upstream quotas.
 */
export const inspectAction: ActionDefinition<InspectInput, InspectOutput> = defineAction({
  name: 'oci/inspect',
  version: 'v1',
  description: 'Resolve an image: digest, media type, platforms, size and annotations.',
  input: InspectInput,
  output: InspectOutput,
  queue: (input) => {
    const registry = registryOfLocation(input.image);
    return registry === undefined ? undefined : `registry:${registry}`;
  },
  run: runInspect,
});

async function runInspect(input: InspectInput, context: ActionContext): Promise<InspectOutput> {
  const spec = parseLocation(input.image, context, 'image');
  const { target, reference } = await openImage(spec, context);
  const manifest = await target.fetchManifest(reference, { signal: context.signal });
  const { descriptor } = manifest;
  const parsed = manifest.kind === 'index' ? manifest.index : manifest.image;
  const output: InspectOutput = {
    reference: describeLocation(spec),
    digest: descriptor.digest,
    mediaType: descriptor.mediaType,
    size: descriptor.size,
    platforms: await platformsOf(manifest, target, context.signal),
    annotations: { ...parsed.annotations },
    manifests: manifest.kind === 'index' ? manifest.index.manifests.map(entryOf) : [],
  };
  const artifactType =
    parsed.artifactType ?? (manifest.kind === 'image' ? artifactTypeOf(manifest) : undefined);
  if (artifactType !== undefined) output.artifactType = artifactType;
  const { registry, repository } = target.location;
  context.logger.info(
    { registry, repository, digest: output.digest, mediaType: output.mediaType, platforms: output.platforms },
    'image inspected',
  );
  return output;
}

function entryOf(descriptor: Descriptor): InspectOutput['manifests'][number] {
  const entry: InspectOutput['manifests'][number] = {
    digest: descriptor.digest,
    mediaType: descriptor.mediaType,
    size: descriptor.size,
  };
  if (descriptor.platform) entry.platform = formatPlatform(descriptor.platform);
  if (descriptor.artifactType) entry.artifactType = descriptor.artifactType;
  return entry;
}

/** image-spec v1.1 manifest.md: without `artifactType`, an artifact is typed by its config's media type. */
function artifactTypeOf(manifest: Manifest & { kind: 'image' }): string | undefined {
  const config = manifest.image.config.mediaType;
  return isImageConfig(config) || config === MediaType.OciEmpty ? undefined : config;
}

async function platformsOf(
  manifest: Manifest,
  target: ReadOnlyTarget,
  signal: AbortSignal,
): Promise<string[]> {
  if (manifest.kind === 'index') {
    const platforms = manifest.index.manifests
      .map((entry) => entry.platform)
      .filter((p): p is Platform => p !== undefined && !(p.os === 'unknown' && p.architecture === 'unknown'))
      .map(formatPlatform);
    return [...new Set(platforms)];
  }
  const platform = await configPlatform(manifest.image.config, target, signal);
  return platform === undefined ? [] : [platform];
}

/** Image configs are small; anything larger is an artifact's payload, not worth reading. */
const MAX_CONFIG_BYTES = 4 * 1024 * 1024;

async function configPlatform(
  config: Descriptor,
  target: ReadOnlyTarget,
  signal: AbortSignal,
): Promise<string | undefined> {
  if (!isImageConfig(config.mediaType) || config.size > MAX_CONFIG_BYTES) return undefined;
  const chunks: Buffer[] = [];
  for await (const chunk of await target.fetchBlob(config, { signal }))
    chunks.push(Buffer.from(chunk as Uint8Array));
  let json: { os?: unknown; architecture?: unknown; variant?: unknown };
  try {
    json = JSON.parse(Buffer.concat(chunks).toString('utf8')) as typeof json;
  } catch {
    return undefined;
  }
  if (typeof json.os !== 'string' || typeof json.architecture !== 'string') return undefined;
  const platform: Platform = { os: json.os, architecture: json.architecture };
  if (typeof json.variant === 'string' && json.variant !== '') platform.variant = json.variant;
  return formatPlatform(platform);
}

function isImageConfig(mediaType: string): boolean {
  return mediaType === MediaType.OciConfig || mediaType === MediaType.DockerConfig;
}
