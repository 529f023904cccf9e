import { OciError } from '../../kernel/index.js';
import { grants } from '../auth/jwt.js';
import { ANONYMOUS } from '../auth/access-policy.js';
import { contentLength, hasBody } from '../http/body.js';
import type { Handler, RequestContext, RegistryServices } from '../http/context.js';
import { parseContentRange } from '../http/range.js';
import { sendEmpty } from '../http/respond.js';
import type { Route } from '../http/route.js';
import { isValidRepositoryName } from '../names.js';
import type { UploadSession } from '../storage/upload-store.js';
import { checkDigest } from './blobs.js';
import { crashPoint } from '../storage/crash-points.js';

type StartRoute = Extract<Route, { kind: 'upload-start' }>;
type UploadRoute = Extract<Route, { kind: 'upload' }>;

/**
 * POST `/v2/<name>/blobs/uploads/`: a cross-repository mount (`?mount=&from=`), a single-request
 * monolithic push (`?digest=`), or a new session (distribution-spec v1.1 "Pushing blobs").
 */
export const startUpload: Handler<StartRoute> = async (ctx, services) => {
  const { name } = ctx.route;
  const mount = ctx.query.get('mount');
  const from = ctx.query.get('from');
  if (mount !== null && from !== null) {
    const digest = checkDigest(name, mount);
    ctx.log.digest = digest;
    if (
      mayMountFrom(ctx, services, from) &&
      (await services.blobs.mount(name, digest, from, { signal: ctx.signal }))
    ) {
      sendEmpty(ctx.res, 201, { Location: `/v2/${name}/blobs/${digest}`, 'Docker-Content-Digest': digest });
      return;
    }
  }
  const digestParam = ctx.query.get('digest');
  const digest = digestParam === null ? undefined : checkDigest(name, digestParam);
  let session = await services.uploads.create(name, { signal: ctx.signal });
  if (digest !== undefined) {
    ctx.log.digest = digest;
    try {
      await finish(ctx, services, session, digest);
    } catch (error) {
      await services.uploads.remove(session.id);
      throw error;
    }
    return;
  }
  // A body without a digest is taken as the first chunk rather than silently dropped.
  if (hasBody(ctx.req))
    session = await services.uploads.append(session, ctx.req, {
      length: contentLength(ctx.req),
      signal: ctx.signal,
    });
  sendEmpty(ctx.res, 202, sessionHeaders(session));
};

/** GET `/v2/<name>/blobs/uploads/<id>`: where to continue after an interruption or a 416. */
export const getUploadStatus: Handler<UploadRoute> = async (ctx, services) => {
  const session = await findSession(ctx, services);
  sendEmpty(ctx.res, 204, sessionHeaders(session));
};

/** PATCH: one chunk, in order (416 otherwise), or a streamed body without `Content-Range`. */
export const patchUpload: Handler<UploadRoute> = async (ctx, services) => {
  const session = await findSession(ctx, services);
  const next = await appendChunk(ctx, services, session);
  sendEmpty(ctx.res, 202, sessionHeaders(next));
};

/** PUT `?digest=`: closes the session, with an optional last chunk; 201 once the blob is stored. */
export const putUpload: Handler<UploadRoute> = async (ctx, services) => {
  const digestParam = ctx.query.get('digest');
  if (digestParam === null) {
    throw new OciError(
      'OCI_DIGEST_INVALID',
      'closing an upload needs the digest of the whole blob as ?digest=',
      { repository: ctx.route.name },
    );
  }
  const digest = checkDigest(ctx.route.name, digestParam);
  ctx.log.digest = digest;
  const session = await findSession(ctx, services);
  await finish(ctx, services, session, digest);
};

/** DELETE: cancels the session. */
export const cancelUpload: Handler<UploadRoute> = async (ctx, services) => {
  const session = await findSession(ctx, services);
  await services.uploads.remove(session.id);
  sendEmpty(ctx.res, 204);
};

async function finish(
  ctx: RequestContext<StartRoute | UploadRoute>,
  services: RegistryServices,
  session: UploadSession,
  digest: string,
): Promise<void> {
  let current = session;
  if (hasBody(ctx.req)) {
    current = await appendChunk(ctx, services, current);
  }
  await services.uploads.complete(current, digest, { signal: ctx.signal });
  crashPoint('blob-committed');
  await services.blobs.link(ctx.route.name, digest, { signal: ctx.signal });
  sendEmpty(ctx.res, 201, {
    Location: `/v2/${ctx.route.name}/blobs/${digest}`,
    'Docker-Content-Digest': digest,
  });
}

/** The expected length of the chunk in this request; 416 when it does not continue the upload. */
/**
 * Appends the request body as the next chunk. A `Content-Range` must continue the upload
 * exactly (checked under the session's lock): otherwise 416 with the offset to continue at.
 */
async function appendChunk(
  ctx: RequestContext<StartRoute | UploadRoute>,
  services: RegistryServices,
  session: UploadSession,
): Promise<UploadSession> {
  const chunk = chunkOf(ctx, session);
  try {
    return await services.uploads.append(session, ctx.req, { ...chunk, signal: ctx.signal });
  } catch (error) {
    if (error instanceof OciError && error.code === 'OCI_RANGE_INVALID') {
      const offset = Number(error.details.offset ?? session.offset);
      for (const [name, value] of Object.entries(sessionHeaders({ ...session, offset })))
        ctx.res.setHeader(name, value);
    }
    throw error;
  }
}

/** Where the chunk of this request starts and how long it is, from `Content-Range` and `Content-Length`. */
function chunkOf(
  ctx: RequestContext<StartRoute | UploadRoute>,
  session: UploadSession,
): { start?: number; length?: number } {
  const declared = contentLength(ctx.req);
  const header = ctx.req.headers['content-range'];
  if (header === undefined) return { length: declared };
  const range = parseContentRange(header);
  if (!range) {
    throw new OciError(
      'OCI_BLOB_UPLOAD_INVALID',
      `Content-Range "${header.slice(0, 100)}" is not <start>-<end>`,
      {
        repository: session.repository,
      },
    );
  }
  const length = range.end - range.start + 1;
  if (declared !== undefined && declared !== length) {
    throw new OciError(
      'OCI_SIZE_INVALID',
      `Content-Length ${declared} does not match Content-Range ${header} (${length} bytes)`,
      {
        repository: session.repository,
      },
    );
  }
  return { start: range.start, length };
}

async function findSession(
  ctx: RequestContext<UploadRoute>,
  services: RegistryServices,
): Promise<UploadSession> {
  const session = await services.uploads.get(ctx.route.id, ctx.route.name);
  if (!session) {
    throw new OciError(
      'OCI_BLOB_UPLOAD_UNKNOWN',
      `upload ${ctx.route.id.slice(0, 64)} of ${ctx.route.name} does not exist or expired; start a new one`,
      {
        repository: ctx.route.name,
      },
    );
  }
  return session;
}

/** Mounting needs pull access to the source; without it the client just gets a session. */
function mayMountFrom(ctx: RequestContext<StartRoute>, services: RegistryServices, from: string): boolean {
  if (!isValidRepositoryName(from)) return false;
  if (services.policy.open) return true;
  const claims = ctx.caller.claims;
  return claims
    ? grants(claims, 'repository', from, 'pull')
    : services.policy.actionsFor(ANONYMOUS, from).has('pull');
}

function sessionHeaders(session: UploadSession): Record<string, string> {
  return {
    Location: uploadLocation(session),
    Range: rangeHeader(session.offset),
    'Docker-Upload-UUID': session.id,
  };
}

function uploadLocation(session: UploadSession): string {
  return `/v2/${session.repository}/blobs/uploads/${session.id}`;
}

/** `0-<last byte>`; CNCF distribution answers `0-0` for an empty upload, which clients expect. */
function rangeHeader(offset: number): string {
  return `0-${Math.max(0, offset - 1)}`;
}
