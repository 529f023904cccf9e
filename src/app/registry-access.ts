import { AppError, type Logger } from '../kernel/index.js';
import type { ReadOnlyTarget, Target } from '../oci/content/index.js';
import { LayoutStores, type OciLayoutStore } from '../oci/layout/index.js';
import { type ImageReference, type TargetSpec, formatReference, referenceTarget } from '../oci/ref/index.js';
import { defaultCredentialProvider } from '../oci/remote/credentials/index.js';
import { RegistrySession, type RegistrySessionOptions } from '../oci/remote/index.js';

export interface RegistryAccessOptions {
  env: NodeJS.ProcessEnv;
  /** Registries that may be reached over plain HTTP or unverified TLS. */
  insecure?: string[];
  logger?: Logger;
  session?: Omit<RegistrySessionOptions, 'credentials' | 'insecure' | 'logger'>;
}

/** A registry session with the credentials a local user has (Airlock's, docker's, podman's). */
export function createRegistrySession(options: RegistryAccessOptions): RegistrySession {
  return new RegistrySession({
    ...options.session,
    credentials: defaultCredentialProvider({ env: options.env }),
    insecure: options.insecure,
    logger: options.logger,
  });
}

export interface OpenedSource {
  target: ReadOnlyTarget;
  /** Tag or digest to read. */
  reference: string;
  /** The tag the source was named by, if any (used as the default destination tag). */
  tag?: string;
}

export async function openSource(
  spec: TargetSpec,
  session: RegistrySession,
  signal?: AbortSignal,
  layouts?: LayoutStores,
): Promise<OpenedSource> {
  return openImage(spec, session, signal, layouts);
}

export interface OpenedImage extends OpenedSource {
  target: Target;
}

/**
 * Opens an image where it is, for reading and for attaching artifacts next to it (referrers
 * such as a scan report): the repository of a registry reference, or the OCI layout directory.
 */
export async function openImage(
  spec: TargetSpec,
  session: RegistrySession,
  signal?: AbortSignal,
  layouts: LayoutStores = new LayoutStores(),
): Promise<OpenedImage> {
  if (spec.kind === 'remote') {
    const target = await session.repository(spec.reference);
    return { target, reference: referenceTarget(spec.reference), ...tagOf(spec.reference) };
  }
  const target = await layouts.open(spec.path, { signal });
  const reference = spec.digest ?? spec.tag ?? onlyTag(await firstTags(target), spec.path);
  return { target, reference, ...(spec.tag ? { tag: spec.tag } : spec.digest ? {} : { tag: reference }) };
}

export interface OpenedDestination {
  target: Target;
  /** Tag to write; undefined → by digest. */
  tag?: string;
}

/**
 * Opens where a copy goes. A destination without a tag keeps the source's tag (copying
 * `alpine:3.20` to `mirror.example.com/alpine` writes `…/alpine:3.20`); a source named by
 * digest alone is written by digest.
 */
export async function openDestination(
  spec: TargetSpec,
  session: RegistrySession,
  sourceTag: string | undefined,
  signal?: AbortSignal,
  layouts: LayoutStores = new LayoutStores(),
): Promise<OpenedDestination> {
  if (spec.kind === 'remote') {
    if (spec.reference.digest && !spec.reference.tag) {
      throw new AppError(
        'USAGE_INVALID',
        `destination ${formatReference(spec.reference)} names a digest; give a repository or a tag (the digest is kept anyway)`,
      );
    }
    return { target: await session.repository(spec.reference), tag: spec.reference.tag ?? sourceTag };
  }
  const target = await layouts.open(spec.path, { create: true, signal });
  return { target, tag: spec.tag ?? sourceTag };
}

function tagOf(reference: ImageReference): { tag?: string } {
  if (reference.tag) return { tag: reference.tag };
  return reference.digest ? {} : { tag: 'latest' };
}

async function firstTags(target: OciLayoutStore): Promise<string[]> {
  const tags: string[] = [];
  for await (const tag of target.listTags()) {
    tags.push(tag);
    if (tags.length > 1) break;
  }
  return tags;
}

function onlyTag(tags: string[], path: string): string {
  if (tags.length === 1) return tags[0]!;
  throw new AppError(
    'USAGE_INVALID',
    tags.length === 0
      ? `OCI layout ${path} has no tagged image; name one with oci:${path}@sha256:…`
      : `OCI layout ${path} holds several tagged images; name one with oci:${path}:TAG`,
  );
}
