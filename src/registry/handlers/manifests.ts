import { OciError, parseDigest } from '../../kernel/index.js';
import { normalizeMediaType } from '../../oci/mediatype/index.js';
import { registryNotification } from '../events.js';
import { readBody } from '../http/body.js';
import type { Handler, RequestContext } from '../http/context.js';
import { sendEmpty } from '../http/respond.js';
import type { Route } from '../http/route.js';
import { isValidTag } from '../names.js';
import type { StoredManifest } from '../service/manifest-service.js';

type ManifestRoute = Extract<Route, { kind: 'manifest' }>;

/** GET/HEAD `/v2/<name>/manifests/<reference>` (distribution-spec v1.1 "Pulling manifests"). */
export const getManifest: Handler<ManifestRoute> = async (ctx, services) => {
  const { name, reference } = ctx.route;
  checkReference(name, reference);
  const manifest = await services.manifests.get(name, reference, { signal: ctx.signal });
  ctx.log.digest = manifest.digest;
  checkAccept(ctx, manifest);
  const decision = await services.gate({
    repository: name,
    reference,
    digest: manifest.digest,
    mediaType: manifest.mediaType,
    ...(ctx.caller.identity.kind === 'anonymous'
      ? {}
      : { identity: { subject: ctx.caller.identity.subject, roles: ctx.caller.identity.roles } }),
  });
  if (!decision.allow) {
    const instead = decision.alternative ? `; use ${decision.alternative} instead` : '';
    throw new OciError(
      'OCI_DENIED',
      `pulling ${name}@${manifest.digest} is not allowed: ${decision.reason}${instead}`,
      { repository: name, digest: manifest.digest },
      {
        details: {
          reason: decision.reason,
          ...(decision.alternative ? { alternative: decision.alternative } : {}),
        },
      },
    );
  }
  const etag = `"${manifest.digest}"`;
  const headers = {
    'Content-Type': manifest.mediaType,
    'Docker-Content-Digest': manifest.digest,
    ETag: etag,
  };
  if (ctx.req.headers['if-none-match'] === etag) {
    ctx.res.writeHead(304, headers);
    ctx.res.end();
    return;
  }
  ctx.res.writeHead(200, { ...headers, 'Content-Length': manifest.bytes.length });
  ctx.res.end(ctx.req.method === 'HEAD' ? undefined : manifest.bytes);
};

/** PUT `/v2/<name>/manifests/<reference>` ("Pushing Manifests", with subject → `OCI-Subject`). */
export const putManifest: Handler<ManifestRoute> = async (ctx, services) => {
  const { name, reference } = ctx.route;
  checkReference(name, reference);
  const bytes = await readBody(ctx.req, {
    limit: services.limits.manifestMaxBytes,
    code: 'OCI_MANIFEST_TOO_LARGE',
    what: `manifest for ${name}:${reference}`,
    signal: ctx.signal,
  });
  const result = await services.manifests.put(name, reference, bytes, ctx.req.headers['content-type'], {
    signal: ctx.signal,
  });
  ctx.log.digest = result.digest;
  services.events?.(
    registryNotification(
      'push',
      {
        repository: name,
        digest: result.digest,
        mediaType: result.mediaType,
        size: bytes.length,
        ...(reference.includes(':') ? {} : { tag: reference }),
      },
      ctx.caller.identity.subject,
    ),
  );
  sendEmpty(ctx.res, 201, {
    Location: `/v2/${name}/manifests/${result.digest}`,
    'Docker-Content-Digest': result.digest,
    ...(result.subject ? { 'OCI-Subject': result.subject } : {}),
  });
};

/**
 * DELETE `/v2/<name>/manifests/<reference>`: a tag, or a manifest by digest ("Content
 * Management"). Unknown content answers 404 MANIFEST_UNKNOWN whether or not the repository
 * exists, as CNCF distribution does, so that clients see one code for "nothing to delete".
 */
export const deleteManifest: Handler<ManifestRoute> = async (ctx, services) => {
  const { name, reference } = ctx.route;
  checkReference(name, reference);
  await services.manifests.delete(name, reference, { signal: ctx.signal });
  services.events?.(
    registryNotification(
      'delete',
      { repository: name, ...(reference.includes(':') ? { digest: reference } : { tag: reference }) },
      ctx.caller.identity.subject,
    ),
  );
  sendEmpty(ctx.res, 202);
};

/** A reference is a tag or a digest and nothing else; the error says which rule it broke. */
function checkReference(name: string, reference: string): void {
  if (reference.includes(':')) {
    try {
      parseDigest(reference);
    } catch (error) {
      throw new OciError('OCI_DIGEST_INVALID', (error as Error).message, { repository: name, reference });
    }
    return;
  }
  if (!isValidTag(reference)) {
    throw new OciError(
      'OCI_TAG_INVALID',
      `"${reference.slice(0, 200)}" is not a valid tag: up to 128 of [A-Za-z0-9_.-], not starting with . or -`,
      {
        repository: name,
      },
    );
  }
}

/**
 * Content negotiation: manifests are served as pushed, never converted. A client whose
 * `Accept` lists manifest types but not this one gets 404 MANIFEST_UNKNOWN saying so, as
 * CNCF distribution answers a client that does not accept OCI manifests. No `Accept`, a
 * wildcard, or a list of no manifest type at all (e.g. `application/json`) accepts anything.
 */
function checkAccept(ctx: RequestContext<ManifestRoute>, manifest: StoredManifest): void {
  const header = ctx.req.headers.accept;
  if (header === undefined || header === '') return;
  const accepted = header
    .split(',')
    .map((entry) => parseAcceptEntry(entry))
    .filter((e): e is string => e !== undefined);
  if (accepted.length === 0 || accepted.includes(manifest.mediaType)) return;
  if (accepted.some((type) => type === '*/*' || type === 'application/*')) return;
  if (
    !accepted.some(
      (type) => type.startsWith('application/vnd.oci.') || type.startsWith('application/vnd.docker.'),
    )
  )
    return;
  throw new OciError(
    'OCI_MANIFEST_UNKNOWN',
    `${ctx.route.name}:${ctx.route.reference} is ${manifest.mediaType}, which the request's Accept header does not include`,
    { repository: ctx.route.name, reference: ctx.route.reference, digest: manifest.digest },
  );
}

function parseAcceptEntry(entry: string): string | undefined {
  const [type, ...params] = entry.split(';');
  if (params.some((p) => /^\s*q\s*=\s*0(?:\.0*)?\s*$/.test(p))) return undefined;
  return normalizeMediaType(type);
}
