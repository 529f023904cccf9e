import { pipeline, type Readable } from 'node:stream';
import { DigestVerifier, OciError, type OciErrorContext } from '../../kernel/index.js';
import type { Descriptor } from '../manifest/index.js';
import { type RepositoryContext, deleteScopes, pullScopes, v2Path } from './repository-context.js';

/** Streams a blob through a digest and size check; a mismatch fails the stream before its end. */
export async function fetchBlob(ctx: RepositoryContext, descriptor: Descriptor, signal?: AbortSignal): Promise<Readable> {
  const response = await ctx.transport.send({
    method: 'GET',
    path: v2Path(ctx, `blobs/${descriptor.digest}`),
    scopes: pullScopes(ctx),
    context: blobContext(ctx, descriptor),
    notFound: 'OCI_BLOB_UNKNOWN',
    signal,
  });
  const verifier = new DigestVerifier({ digest: descriptor.digest, size: descriptor.size });
  pipeline(response.body, verifier, (error) => {
    if (error && !verifier.destroyed) verifier.destroy(error);
  });
  return verifier;
}

export async function blobExists(ctx: RepositoryContext, descriptor: Descriptor, signal?: AbortSignal): Promise<boolean> {
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

export async function deleteBlob(ctx: RepositoryContext, descriptor: Descriptor, signal?: AbortSignal): Promise<void> {
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
  return new OciError('OCI_PROTOCOL_ERROR', `${ctx.registry}/${ctx.repository}: ${message}`, blobContext(ctx, descriptor));
}
