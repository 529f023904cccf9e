import { MediaType } from '../../oci/mediatype/index.js';
import type { Handler } from '../http/context.js';
import { sendJson } from '../http/respond.js';
import type { Route } from '../http/route.js';
import { checkDigest } from './blobs.js';

type ReferrersRoute = Extract<Route, { kind: 'referrers' }>;

/**
 * GET `/v2/<name>/referrers/<digest>` (distribution-spec v1.1 "Listing Referrers"): always
 * 200 with an image index — empty for unknown subjects and repositories, since a 404 would
 * tell clients the API is missing — filtered by `artifactType` when asked, with
 * `OCI-Filters-Applied`, and paginated with `Link` past the configured page size.
 */
export const listReferrers: Handler<ReferrersRoute> = async (ctx, services) => {
  const { name } = ctx.route;
  const subject = checkDigest(name, ctx.route.digest);
  ctx.log.digest = subject;
  const artifactType = ctx.query.get('artifactType') ?? undefined;
  const all = await services.manifests.listReferrers(name, subject, artifactType, { signal: ctx.signal });
  const last = ctx.query.get('last');
  const from = last === null ? 0 : all.findIndex((d) => d.digest > last);
  const start = from < 0 ? all.length : from;
  const max = services.limits.pageMax;
  const manifests = all.slice(start, start + max);
  const headers: Record<string, string> = { 'Content-Type': MediaType.OciIndex };
  if (artifactType !== undefined) headers['OCI-Filters-Applied'] = 'artifactType';
  if (start + max < all.length) {
    const query = new URLSearchParams({ last: manifests[manifests.length - 1]!.digest });
    if (artifactType !== undefined) query.set('artifactType', artifactType);
    headers.Link = `</v2/${name}/referrers/${subject}?${query.toString()}>; rel="next"`;
  }
  sendJson(ctx.req, ctx.res, 200, { schemaVersion: 2, mediaType: MediaType.OciIndex, manifests }, headers);
};
