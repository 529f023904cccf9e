import { OciError, parseDigest } from '../../kernel/index.js';
import type { Handler } from '../http/context.js';
import { parseRangeHeader } from '../http/range.js';
import { sendFileRange } from '../http/send-file.js';
import { sendEmpty } from '../http/respond.js';
import type { Route } from '../http/route.js';

type BlobRoute = Extract<Route, { kind: 'blob' }>;

/** GET/HEAD `/v2/<name>/blobs/<digest>` with single-range support (RFC 9110 §14). */
export const getBlob: Handler<BlobRoute> = async (ctx, services) => {
  const { name } = ctx.route;
  const digest = checkDigest(name, ctx.route.digest);
  ctx.log.digest = digest;
  const blob = await services.blobs.open(name, digest);
  if (!blob)
    throw new OciError('OCI_BLOB_UNKNOWN', `blob ${digest} is not in repository ${name}`, {
      repository: name,
      digest,
    });
  const headers = {
    'Content-Type': 'application/octet-stream',
    'Docker-Content-Digest': digest,
    ETag: `"${digest}"`,
    'Accept-Ranges': 'bytes',
    // Content-addressed: the bytes behind this URL never change.
    'Cache-Control': 'max-age=31536000',
  };
  const range = parseRangeHeader(ctx.req.headers.range, blob.size);
  if (range === 'unsatisfiable') {
    await blob.handle.close();
    sendEmpty(ctx.res, 416, { 'Content-Range': `bytes */${blob.size}`, 'Docker-Content-Digest': digest });
    return;
  }
  const start = range?.start ?? 0;
  const end = range?.end ?? blob.size - 1;
  const length = end - start + 1;
  ctx.res.writeHead(range ? 206 : 200, {
    ...headers,
    'Content-Length': length,
    ...(range ? { 'Content-Range': `bytes ${start}-${end}/${blob.size}` } : {}),
  });
  if (ctx.req.method === 'HEAD' || length === 0) {
    await blob.handle.close();
    ctx.res.end();
    return;
  }
  await sendFileRange(blob.handle, start, end, ctx.res, ctx.signal);
};

/** DELETE `/v2/<name>/blobs/<digest>`: unlinks it from the repository (gc frees the bytes). */
export const deleteBlob: Handler<BlobRoute> = async (ctx, services) => {
  const digest = checkDigest(ctx.route.name, ctx.route.digest);
  ctx.log.digest = digest;
  await services.blobs.delete(ctx.route.name, digest);
  sendEmpty(ctx.res, 202);
};

export function checkDigest(name: string, digest: string): string {
  try {
    parseDigest(digest);
    return digest;
  } catch (error) {
    throw new OciError('OCI_DIGEST_INVALID', (error as Error).message, { repository: name });
  }
}
