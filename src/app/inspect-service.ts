import { AppError } from '../kernel/index.js';
import type { ReadOnlyTarget } from '../oci/content/index.js';
import {
  type Descriptor,
  type Manifest,
  type Platform,
  formatPlatform,
  platformMatches,
} from '../oci/manifest/index.js';
import { parseTargetSpec } from '../oci/ref/index.js';
import type { RegistrySession } from '../oci/remote/index.js';
import { openSource } from './registry-access.js';

/** The parts of an image config (OCI image-spec v1.1 config.md) worth showing. */
export interface ImageConfigSummary {
  os?: string;
  architecture?: string;
  variant?: string;
  created?: string;
  author?: string;
  user?: string;
  entrypoint?: string[];
  cmd?: string[];
  workingDir?: string;
  env?: string[];
  labels?: Record<string, string>;
  exposedPorts?: string[];
  historyLength?: number;
}

export interface Inspection {
  reference: string;
  manifest: Manifest;
  /** For an image manifest: its config, when it is an image config (not an artifact's). */
  config?: ImageConfigSummary;
}

export interface InspectOptions {
  session: RegistrySession;
  /** With an index: inspect the manifest for this platform instead. */
  platform?: Platform;
  /** Read and summarise the image config. */
  withConfig?: boolean;
  signal?: AbortSignal;
}

export async function inspectImage(location: string, options: InspectOptions): Promise<Inspection> {
  const { target, reference } = await openSource(parseTargetSpec(location), options.session, options.signal);
  let manifest = await target.fetchManifest(reference, { signal: options.signal });
  if (options.platform && manifest.kind === 'index') {
    const entry = manifest.index.manifests.find((d) => platformMatches(options.platform!, d.platform));
    if (!entry) {
      const offered = manifest.index.manifests
        .map((d) => (d.platform ? formatPlatform(d.platform) : 'unknown'))
        .join(', ');
      throw new AppError(
        'OCI_PLATFORM_NOT_FOUND',
        `${location} has no manifest for ${formatPlatform(options.platform)}; it offers: ${offered}`,
      );
    }
    manifest = await target.fetchManifest(entry, { signal: options.signal });
  }
  const inspection: Inspection = { reference: location, manifest };
  if (options.withConfig !== false && manifest.kind === 'image') {
    inspection.config = await readConfig(target, manifest.image.config, options.signal);
  }
  return inspection;
}

/** Image configs are small; a config over this is an artifact's payload, not worth reading. */
const MAX_CONFIG_BYTES = 4 * 1024 * 1024;

async function readConfig(
  target: ReadOnlyTarget,
  descriptor: Descriptor,
  signal?: AbortSignal,
): Promise<ImageConfigSummary | undefined> {
  if (
    descriptor.size > MAX_CONFIG_BYTES ||
    !descriptor.mediaType.includes('config') ||
    descriptor.mediaType.includes('empty')
  )
    return undefined;
  const stream = await target.fetchBlob(descriptor, { signal });
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk as Uint8Array));
  let json: Record<string, unknown>;
  try {
    json = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>;
  } catch {
    return undefined;
  }
  const config = (json.config ?? {}) as Record<string, unknown>;
  const summary: ImageConfigSummary = {
    os: str(json.os),
    architecture: str(json.architecture),
    variant: str(json.variant),
    created: str(json.created),
    author: str(json.author),
    user: str(config.User),
    entrypoint: strings(config.Entrypoint),
    cmd: strings(config.Cmd),
    workingDir: str(config.WorkingDir),
    env: strings(config.Env),
    labels: (config.Labels ?? undefined) as Record<string, string> | undefined,
    exposedPorts: config.ExposedPorts ? Object.keys(config.ExposedPorts as object) : undefined,
    historyLength: Array.isArray(json.history) ? json.history.length : undefined,
  };
  return summary;
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function strings(value: unknown): string[] | undefined {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : undefined;
}
