import { pipeline, type Readable } from 'node:stream';
import { DigestVerifier, isRetryable, isVerifiedFor, sleep } from '../../kernel/index.js';
import type { Descriptor } from '../manifest/index.js';
import { blobContext, protocolError } from './blobs.js';
import { type RepositoryContext, pushScopes, v2Path } from './repository-context.js';
import { repositoryScope } from './scope.js';
import { header } from './transport.js';

/**
 * Blob uploads (distribution-spec v1.1 "Pushing blobs"): a session is opened with `POST`
 * (which also settles authentication, since it has no body), then the content goes either
 * in one streamed `PUT ?digest=` (monolithic, the default) or in `PATCH` chunks with
 * `Content-Range` followed by a closing `PUT` (chunked: each chunk is replayable, and a
 * failed chunk resumes from the offset the registry reports).
 */
export async function pushBlob(
  ctx: RepositoryContext,
  descriptor: Descriptor,
  content: Readable,
  signal?: AbortSignal,
): Promise<void> {
  const verified = verifiedContent(content, descriptor);
  let contentError: unknown;
  verified.once('error', (error) => (contentError = error));
  try {
    const location = await startUpload(ctx, descriptor, signal);
    if (ctx.uploadChunkSize !== undefined && descriptor.size > ctx.uploadChunkSize) {
      await pushChunked(ctx, descriptor, verified, location, ctx.uploadChunkSize, signal);
    } else {
      await pushMonolithic(ctx, descriptor, verified, location, signal);
    }
  } catch (error) {
    verified.destroy();
    content.destroy();
    // The content's own failure (digest, size, a broken source) explains more than the aborted request.
    throw contentError ?? error;
  }
}

/**
 * Content checked against its descriptor on the way out, so that a mismatch fails with our
 * own code before the registry could commit anything. Streams that already verify this
 * descriptor (a fetch from another store) are not hashed twice.
 */
function verifiedContent(content: Readable, descriptor: Descriptor): Readable {
  if (isVerifiedFor(content, descriptor)) return content;
  const verifier = new DigestVerifier({ digest: descriptor.digest, size: descriptor.size });
  pipeline(content, verifier, (error) => {
    if (error && !verifier.destroyed) verifier.destroy(error);
  });
  return verifier;
}

/**
 * Cross-repository mount (`POST ?mount=&from=`). `true` when the registry mounted (201);
 * `false` when it opened an upload session instead (202), which is cancelled.
 */
export async function mountBlob(
  ctx: RepositoryContext,
  descriptor: Descriptor,
  fromRepository: string,
  signal?: AbortSignal,
): Promise<boolean> {
  const query = new URLSearchParams({ mount: descriptor.digest, from: fromRepository });
  const response = await ctx.transport.sendAndDiscard({
    method: 'POST',
    path: `${v2Path(ctx, 'blobs/uploads/')}?${query}`,
    headers: { 'content-length': '0' },
    scopes: [...pushScopes(ctx), repositoryScope(fromRepository, ['pull'])],
    context: blobContext(ctx, descriptor),
    notFound: 'OCI_BLOB_UNKNOWN',
    // Registries that cannot see the source repository with this token answer 401/403/404: no mount, push instead.
    accept: [401, 403, 404],
    signal,
  });
  if (response.status === 201) return true;
  const location = header(response.headers, 'location');
  if (response.status === 202 && location) await cancelUpload(ctx, descriptor, location, signal);
  return false;
}

async function startUpload(
  ctx: RepositoryContext,
  descriptor: Descriptor,
  signal?: AbortSignal,
): Promise<string> {
  const response = await ctx.transport.sendAndDiscard({
    method: 'POST',
    path: v2Path(ctx, 'blobs/uploads/'),
    headers: { 'content-length': '0' },
    scopes: pushScopes(ctx),
    context: blobContext(ctx, descriptor),
    notFound: 'OCI_NAME_UNKNOWN',
    signal,
  });
  const location = header(response.headers, 'location');
  if (response.status !== 202 || !location) {
    throw protocolError(
      ctx,
      descriptor,
      `upload session start answered ${response.status} without a Location`,
    );
  }
  return location;
}

async function pushMonolithic(
  ctx: RepositoryContext,
  descriptor: Descriptor,
  content: Readable,
  location: string,
  signal?: AbortSignal,
): Promise<void> {
  // If the source stream fails (digest mismatch, reset), undici aborts the PUT: the registry never commits it.
  await ctx.transport.sendAndDiscard({
    method: 'PUT',
    path: withDigest(location, descriptor.digest),
    headers: { 'content-type': 'application/octet-stream', 'content-length': String(descriptor.size) },
    body: content,
    scopes: pushScopes(ctx),
    context: blobContext(ctx, descriptor),
    notFound: 'OCI_BLOB_UPLOAD_UNKNOWN',
    signal,
  });
}

async function pushChunked(
  ctx: RepositoryContext,
  descriptor: Descriptor,
  content: Readable,
  start: string,
  chunkSize: number,
  signal?: AbortSignal,
): Promise<void> {
  let location = start;
  let offset = 0;
  for await (const chunk of chunksOf(content, chunkSize)) {
    location = await patchChunk(ctx, descriptor, location, chunk, offset, signal);
    offset += chunk.length;
  }
  await ctx.transport.sendAndDiscard({
    method: 'PUT',
    path: withDigest(location, descriptor.digest),
    headers: { 'content-length': '0' },
    scopes: pushScopes(ctx),
    context: blobContext(ctx, descriptor),
    notFound: 'OCI_BLOB_UPLOAD_UNKNOWN',
    signal,
  });
}

/** Attempts per chunk, each resuming from the offset the registry confirms. */
const CHUNK_ATTEMPTS = 4;

async function patchChunk(
  ctx: RepositoryContext,
  descriptor: Descriptor,
  location: string,
  chunk: Buffer,
  offset: number,
  signal?: AbortSignal,
): Promise<string> {
  let sent = 0;
  let current = location;
  for (let attempt = 1; ; attempt++) {
    const part = chunk.subarray(sent);
    const from = offset + sent;
    try {
      const response = await ctx.transport.sendAndDiscard({
        method: 'PATCH',
        path: current,
        headers: {
          'content-type': 'application/octet-stream',
          'content-range': `${from}-${from + part.length - 1}`,
          'content-length': String(part.length),
        },
        body: part,
        scopes: pushScopes(ctx),
        context: blobContext(ctx, descriptor),
        notFound: 'OCI_BLOB_UPLOAD_UNKNOWN',
        signal,
      });
      return header(response.headers, 'location') ?? current;
    } catch (error) {
      if (
        attempt >= CHUNK_ATTEMPTS ||
        !(isRetryable(error) || (error as { code?: string }).code === 'OCI_RANGE_INVALID')
      )
        throw error;
      await sleep(100 * 2 ** attempt, signal);
      const status = await uploadStatus(ctx, descriptor, current, signal);
      current = status.location;
      const confirmed = status.received - offset;
      if (confirmed < 0 || confirmed > chunk.length) throw error;
      sent = confirmed;
      if (sent === chunk.length) return current;
    }
  }
}

/** `GET` on an upload session: how many bytes the registry holds (`Range: 0-<last>`). */
async function uploadStatus(
  ctx: RepositoryContext,
  descriptor: Descriptor,
  location: string,
  signal?: AbortSignal,
): Promise<{ location: string; received: number }> {
  const response = await ctx.transport.sendAndDiscard({
    method: 'GET',
    path: location,
    scopes: pushScopes(ctx),
    context: blobContext(ctx, descriptor),
    notFound: 'OCI_BLOB_UPLOAD_UNKNOWN',
    signal,
  });
  const range = /^(?:bytes=)?0-(\d+)$/.exec(header(response.headers, 'range') ?? '');
  // `0-0` is what distribution answers for an empty upload (registry/handlers/blobupload.go, blobUploadResponse);
  // one byte held would read the same, and is far less likely than a first chunk that never arrived.
  const last = range ? Number(range[1]) : 0;
  return { location: header(response.headers, 'location') ?? location, received: last === 0 ? 0 : last + 1 };
}

async function cancelUpload(
  ctx: RepositoryContext,
  descriptor: Descriptor,
  location: string,
  signal?: AbortSignal,
): Promise<void> {
  try {
    await ctx.transport.sendAndDiscard({
      method: 'DELETE',
      path: location,
      scopes: pushScopes(ctx),
      context: blobContext(ctx, descriptor),
      accept: [404, 405],
      signal,
    });
  } catch {
    // Abandoned sessions expire on the registry; failing to cancel one is harmless.
  }
}

/** Re-chunks a stream into buffers of exactly `size` bytes (the last may be shorter). */
async function* chunksOf(content: Readable, size: number): AsyncGenerator<Buffer> {
  let parts: Buffer[] = [];
  let length = 0;
  for await (const piece of content) {
    let data = Buffer.from(piece as Uint8Array);
    while (length + data.length >= size) {
      const take = size - length;
      parts.push(data.subarray(0, take));
      yield Buffer.concat(parts);
      data = data.subarray(take);
      parts = [];
      length = 0;
    }
    if (data.length > 0) {
      parts.push(data);
      length += data.length;
    }
  }
  if (length > 0) yield Buffer.concat(parts);
}

/** Appends `digest=` to an upload Location, keeping the registry's own query (e.g. `_state`). */
function withDigest(location: string, digest: string): string {
  const separator = location.includes('?') ? '&' : '?';
  return `${location}${separator}digest=${encodeURIComponent(digest)}`;
}
