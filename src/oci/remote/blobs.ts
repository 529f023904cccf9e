import type { Readable } from 'node:stream';
import { DigestVerifier, OciError, type OciErrorContext, isAppError } from '../../kernel/index.js';
import type { Descriptor } from '../manifest/index.js';
import { type RepositoryContext, deleteScopes, pullScopes, v2Path } from './repository-context.js';
import { isRetryableNetworkError } from './retry.js';

/** Streams a blob through a digest and size check; a mismatch fails the stream before its end. */
export async function fetchBlob(
  ctx: RepositoryContext,
  descriptor: Descriptor,
  signal?: AbortSignal,
): Promise<Readable> {
  const response = await ctx.transport.send({
    method: 'GET',
    path: v2Path(ctx, `blobs/${descriptor.digest}`),
    scopes: pullScopes(ctx),
    context: blobContext(ctx, descriptor),
    notFound: 'OCI_BLOB_UNKNOWN',
    signal,
  });
  const verifier = new DigestVerifier({ digest: descriptor.digest, size: descriptor.size });
  const body = response.body;
  // Not `pipeline`: it would fail the verifier with undici's raw socket error before we could say what broke.
  body.once('error', (error) => verifier.destroy(bodyError(ctx, descriptor, error, verifier.bytes)));
  // A consumer that stops early (or fails) must not leave the connection half read.
  verifier.once('close', () => body.destroy());
  body.pipe(verifier);
  return verifier;
}

/** A download that broke off mid-body (reset, early close, stall) as a retryable OciError; other errors as they are. */
function bodyError(ctx: RepositoryContext, descriptor: Descriptor, error: Error, received: number): Error {
  if (isAppError(error) || !isRetryableNetworkError(error)) return error;
  const code = (error as { code?: unknown }).code;
  const where = `${ctx.registry}/${ctx.repository}@${descriptor.digest}`;
  return new OciError(
    code === 'UND_ERR_BODY_TIMEOUT' ? 'OCI_TIMEOUT' : 'OCI_CONTENT_TRUNCATED',
    `${where}: the download broke off after ${received} of ${descriptor.size} bytes: ${error.message}${typeof code === 'string' ? ` (${code})` : ''}`,
    blobContext(ctx, descriptor),
    { cause: error, retryable: true },
  );
}

export async function blobExists(
  ctx: RepositoryContext,
  descriptor: Descriptor,
  signal?: AbortSignal,
): Promise<boolean> {
  const response = await ctx.transport.sendAndDiscard({
    method: 'HEAD',
    path: v2Path(ctx, `blobs/${descriptor.digest}`),
    scopes: pullScopes(ctx),
    context: blobContext(ctx, descriptor),
    notFound: 'OCI_BLOB_UNKNOWN',
    accept: [404],
    signal,
  });
  return response.status !== 404;
}

export async function deleteBlob(
  ctx: RepositoryContext,
  descriptor: Descriptor,
  signal?: AbortSignal,
): Promise<void> {
  await ctx.transport.sendAndDiscard({
    method: 'DELETE',
    path: v2Path(ctx, `blobs/${descriptor.digest}`),
    scopes: deleteScopes(ctx),
    context: blobContext(ctx, descriptor),
    notFound: 'OCI_BLOB_UNKNOWN',
    signal,
  });
}

export function blobContext(ctx: RepositoryContext, descriptor: Descriptor): OciErrorContext {
  return { registry: ctx.registry, repository: ctx.repository, digest: descriptor.digest };
}

export function protocolError(ctx: RepositoryContext, descriptor: Descriptor, message: string): OciError {
  return new OciError(
    'OCI_PROTOCOL_ERROR',
    `${ctx.registry}/${ctx.repository}: ${message}`,
    blobContext(ctx, descriptor),
  );
}
