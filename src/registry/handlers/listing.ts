import { AppError, OciError } from '../../kernel/index.js';
import type { Handler } from '../http/context.js';
import { sendJson } from '../http/respond.js';
import type { Route } from '../http/route.js';

type TagsRoute = Extract<Route, { kind: 'tags' }>;

export interface Page<T> {
  items: T[];
  /** The last item returned when more follow, for the `Link` header's `last`. */
  next?: string;
}

/**
 * One page of a sorted list: items after `last`, at most `n` (distribution-spec v1.1
 * "Listing Tags"; `n=0` is an empty page without `Link`).
 */
export function paginate(sorted: string[], n: number, last: string | undefined): Page<string> {
  let from = 0;
  if (last !== undefined) {
    from = sorted.findIndex((item) => item > last);
    if (from < 0) from = sorted.length;
  }
  const items = sorted.slice(from, from + n);
  const more = n > 0 && from + n < sorted.length;
  return more ? { items, next: items[items.length - 1] } : { items };
}

/** The page size of a request: `n` if given (bounded by the configured maximum), else the maximum. */
export function pageSize(value: string | null, max: number): number {
  if (value === null) return max;
  if (!/^\d{1,9}$/.test(value)) {
    throw new AppError(
      'OCI_PAGINATION_NUMBER_INVALID',
      `n must be a non-negative integer, got "${value.slice(0, 20)}"`,
    );
  }
  return Math.min(Number(value), max);
}

export function nextLink(path: string, n: number, last: string): string {
  return `<${path}?n=${n}&last=${encodeURIComponent(last)}>; rel="next"`;
}

/** GET `/v2/<name>/tags/list` with `n`/`last` pagination and a `Link` to the next page. */
export const listTags: Handler<TagsRoute> = async (ctx, services) => {
  const { name } = ctx.route;
  if (!(await services.metadata.repositoryExists(name))) {
    throw new OciError('OCI_NAME_UNKNOWN', `repository ${name} does not exist`, { repository: name });
  }
  const n = pageSize(ctx.query.get('n'), services.limits.pageMax);
  const page = paginate(await services.metadata.listTags(name), n, ctx.query.get('last') ?? undefined);
  const headers = page.next ? { Link: nextLink(`/v2/${name}/tags/list`, n, page.next) } : {};
  sendJson(ctx.req, ctx.res, 200, { name, tags: page.items }, headers);
};

/** GET `/v2/_catalog`: the repositories the caller may pull, paginated like tags. */
export const listCatalog: Handler = async (ctx, services) => {
  const n = pageSize(ctx.query.get('n'), services.limits.pageMax);
  const identity = ctx.caller.identity;
  const all = await services.metadata.listRepositories();
  const visible = services.policy.open
    ? all
    : all.filter((repo) => services.policy.actionsFor(identity, repo).has('pull'));
  const page = paginate(visible, n, ctx.query.get('last') ?? undefined);
  const headers = page.next ? { Link: nextLink('/v2/_catalog', n, page.next) } : {};
  sendJson(ctx.req, ctx.res, 200, { repositories: page.items }, headers);
};

/** GET `/v2/`: 200 once the caller may use the registry at all. */
export const getBase: Handler = async (ctx) => {
  sendJson(ctx.req, ctx.res, 200, {});
};
