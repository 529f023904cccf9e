import { OciError, digestOf, isDigest, parseDigest, verifyBytes } from '../../kernel/index.js';
import { MANIFEST_ACCEPT, normalizeMediaType } from '../mediatype/index.js';
import { type Descriptor, type Manifest, parseManifest } from '../manifest/index.js';
import {
  type RepositoryContext,
  deleteScopes,
  pullScopes,
  pushScopes,
  v2Path,
} from './repository-context.js';
import { isRetryableNetworkError } from './retry.js';
import { discard, header } from './transport.js';

/** Resolves a tag or digest to a descriptor with a `HEAD` (free against Docker Hub's pull quota). */
export async function resolveManifest(
  ctx: RepositoryContext,
  reference: string,
  signal?: AbortSignal,
): Promise<Descriptor> {
  const response = await ctx.transport.sendAndDiscard({
    method: 'HEAD',
    path: v2Path(ctx, `manifests/${reference}`),
    headers: { accept: MANIFEST_ACCEPT },
    scopes: pullScopes(ctx),
    context: contextOf(ctx, reference),
    notFound: 'OCI_MANIFEST_UNKNOWN',
    signal,
  });
  const digest = header(response.headers, 'docker-content-digest');
  const mediaType = normalizeMediaType(header(response.headers, 'content-type'));
  const size = Number(header(response.headers, 'content-length'));
  if (
    digest &&
    isDigest(digest) &&
    mediaType &&
    Number.isSafeInteger(size) &&
    (!isDigest(reference) || reference === digest)
  ) {
    return { mediaType, digest, size };
  }
  // Some registries omit the digest on HEAD (or answer HEAD badly): fall back to a GET.
  return (await fetchManifest(ctx, reference, signal)).descriptor;
}

/** Fetches a manifest, bounded in size and verified against its digest. */
export function fetchManifest(
  ctx: RepositoryContext,
  target: string | Descriptor,
  signal?: AbortSignal,
): Promise<Manifest> {
  // The transport retries failed requests; a body that breaks off or arrives corrupt is retried here.
  return ctx.transport.retrying(() => fetchManifestOnce(ctx, target, signal), signal);
}

async function fetchManifestOnce(
  ctx: RepositoryContext,
  target: string | Descriptor,
  signal?: AbortSignal,
): Promise<Manifest> {
  const reference = typeof target === 'string' ? target : target.digest;
  if (typeof target !== 'string' && target.size > ctx.maxManifestBytes)
    throw tooLarge(ctx, reference, target.size);
  const accept = typeof target === 'string' ? MANIFEST_ACCEPT : `${target.mediaType}, ${MANIFEST_ACCEPT}`;
  const context = contextOf(ctx, reference);
  const response = await ctx.transport.send({
    method: 'GET',
    path: v2Path(ctx, `manifests/${reference}`),
    headers: { accept },
    scopes: pullScopes(ctx),
    context,
    notFound: 'OCI_MANIFEST_UNKNOWN',
    signal,
  });
  const declared = Number(header(response.headers, 'content-length'));
  if (Number.isFinite(declared) && declared > ctx.maxManifestBytes) {
    await discard(response.body);
    throw tooLarge(ctx, reference, declared);
  }
  const bytes = await readManifestBody(ctx, response.body, reference);
  const expected = isDigest(reference) ? reference : header(response.headers, 'docker-content-digest');
  if (typeof target !== 'string') {
    verifyBytes(bytes, { digest: target.digest, size: target.size });
  } else if (expected && isDigest(expected)) {
    verifyBytes(bytes, { digest: expected });
  }
  const digest = expected && isDigest(expected) ? expected : digestOf(bytes);
  const mediaType = normalizeMediaType(header(response.headers, 'content-type'));
  return parseManifest(bytes, {
    mediaType: typeof target === 'string' ? mediaType : target.mediaType,
    digest,
    source: `${ctx.registry}/${ctx.repository}${isDigest(reference) ? '@' : ':'}${reference}`,
  });
}

export async function manifestExists(
  ctx: RepositoryContext,
  descriptor: Descriptor,
  signal?: AbortSignal,
): Promise<boolean> {
  const response = await ctx.transport.sendAndDiscard({
    method: 'HEAD',
    path: v2Path(ctx, `manifests/${descriptor.digest}`),
    headers: { accept: `${descriptor.mediaType}, ${MANIFEST_ACCEPT}` },
    scopes: pullScopes(ctx),
    context: contextOf(ctx, descriptor.digest),
    notFound: 'OCI_MANIFEST_UNKNOWN',
    accept: [404],
    signal,
  });
  return response.status !== 404;
}

export interface PutManifestResult {
  /** Whether the registry said it indexed the manifest's subject (`OCI-Subject` header). */
  subjectIndexed: boolean;
}

/** `PUT`s exact manifest bytes under a tag or their digest. */
export async function putManifest(
  ctx: RepositoryContext,
  manifest: Pick<Manifest, 'descriptor' | 'bytes'>,
  reference: string,
  signal?: AbortSignal,
): Promise<PutManifestResult> {
  const { descriptor, bytes } = manifest;
  const response = await ctx.transport.sendAndDiscard({
    method: 'PUT',
    path: v2Path(ctx, `manifests/${reference}`),
    headers: { 'content-type': descriptor.mediaType },
    body: bytes,
    scopes: pushScopes(ctx),
    context: contextOf(ctx, reference),
    notFound: 'OCI_NAME_UNKNOWN',
    signal,
  });
  const answered = header(response.headers, 'docker-content-digest');
  if (
    answered &&
    isDigest(answered) &&
    parseDigest(answered).algorithm === parseDigest(descriptor.digest).algorithm &&
    answered !== descriptor.digest
  ) {
    throw new OciError(
      'OCI_DIGEST_MISMATCH',
      `registry stored ${ctx.registry}/${ctx.repository}:${reference} as ${answered}, expected ${descriptor.digest}`,
      contextOf(ctx, reference),
    );
  }
  return { subjectIndexed: header(response.headers, 'oci-subject') !== undefined };
}

export async function deleteManifest(
  ctx: RepositoryContext,
  reference: string,
  signal?: AbortSignal,
): Promise<void> {
  await ctx.transport.sendAndDiscard({
    method: 'DELETE',
    path: v2Path(ctx, `manifests/${reference}`),
    scopes: deleteScopes(ctx),
    context: contextOf(ctx, reference),
    notFound: 'OCI_MANIFEST_UNKNOWN',
    signal,
  });
}

async function readManifestBody(
  ctx: RepositoryContext,
  body: AsyncIterable<Uint8Array> & { destroy(): unknown },
  reference: string,
): Promise<Uint8Array> {
  const chunks: Buffer[] = [];
  let total = 0;
  try {
    for await (const chunk of body) {
      total += chunk.length;
      if (total > ctx.maxManifestBytes) {
        body.destroy();
        throw tooLarge(ctx, reference, total);
      }
      chunks.push(Buffer.from(chunk));
    }
  } catch (error) {
    if (error instanceof OciError || !isRetryableNetworkError(error)) throw error;
    throw new OciError(
      'OCI_CONTENT_TRUNCATED',
      `manifest ${ctx.registry}/${ctx.repository}:${reference} broke off after ${total} bytes: ${(error as Error).message}`,
      contextOf(ctx, reference),
      { cause: error, retryable: true },
    );
  }
  return Buffer.concat(chunks);
}

function tooLarge(ctx: RepositoryContext, reference: string, size: number): OciError {
  return new OciError(
    'OCI_MANIFEST_TOO_LARGE',
    `manifest ${ctx.registry}/${ctx.repository}:${reference} is ${size}+ bytes, over the ${ctx.maxManifestBytes}-byte limit`,
    contextOf(ctx, reference),
  );
}

function contextOf(ctx: RepositoryContext, reference: string) {
  return isDigest(reference)
    ? { registry: ctx.registry, repository: ctx.repository, digest: reference }
    : { registry: ctx.registry, repository: ctx.repository, reference };
}

export { contextOf as manifestContext };
