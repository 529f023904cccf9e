import { OciError } from '../../kernel/index.js';
import { nextLink } from './link.js';
import { type RepositoryContext, pullScopes, v2Path } from './repository-context.js';
import { type Scope } from './scope.js';
import { type RegistryTransport, readText } from './transport.js';

/** Largest tag/catalog page we read (Docker Hub pages of 10,000 tags are ~200 KiB). */
const MAX_PAGE_BYTES = 8 * 1024 * 1024;

export interface PageOptions {
  last?: string;
  pageSize?: number;
  signal?: AbortSignal;
}

/** All tags of a repository, following `Link: <…>; rel="next"` pagination. */
export async function* listTags(ctx: RepositoryContext, options: PageOptions = {}): AsyncGenerator<string> {
  const pages = paginate(
    ctx.transport,
    v2Path(ctx, 'tags/list'),
    'tags',
    pullScopes(ctx),
    { registry: ctx.registry, repository: ctx.repository },
    {
      pageSize: DEFAULT_PAGE_SIZE,
      ...options,
    },
  );
  try {
    yield* pages;
  } catch (error) {
    // A repository that holds no tag is, to CNCF distribution, a repository it does not know.
    if (error instanceof OciError && error.code === 'OCI_NAME_UNKNOWN') return;
    throw error;
  }
}

/**
 * Always paginate: registries sort tags lexically only in paginated answers (CNCF
 * distribution returns directory order otherwise). 1,000 is what go-containerregistry asks for.
 */
const DEFAULT_PAGE_SIZE = 1000;

/** All repositories of a registry (`/v2/_catalog`); many public registries refuse it. */
export function listRepositories(
  transport: RegistryTransport,
  options: PageOptions = {},
): AsyncIterable<string> {
  const scopes: Scope[] = [{ type: 'registry', name: 'catalog', actions: ['*'] }];
  return paginate(
    transport,
    '/v2/_catalog',
    'repositories',
    scopes,
    { registry: transport.registry },
    options,
  );
}

async function* paginate(
  transport: RegistryTransport,
  basePath: string,
  field: 'tags' | 'repositories',
  scopes: Scope[],
  context: { registry: string; repository?: string },
  options: PageOptions,
): AsyncGenerator<string> {
  const query = new URLSearchParams();
  if (options.pageSize !== undefined) query.set('n', String(options.pageSize));
  if (options.last !== undefined) query.set('last', options.last);
  let path: string | undefined = query.size > 0 ? `${basePath}?${query}` : basePath;
  const seen = new Set<string>();
  while (path) {
    const response = await transport.send({
      method: 'GET',
      path,
      scopes,
      context,
      notFound: 'OCI_NAME_UNKNOWN',
      signal: options.signal,
    });
    const text = await readText(response.body, MAX_PAGE_BYTES);
    let items: unknown;
    try {
      items = (JSON.parse(text) as Record<string, unknown>)[field];
    } catch {
      throw new OciError(
        'OCI_PROTOCOL_ERROR',
        `${context.registry}${context.repository ? `/${context.repository}` : ''}: ${field} page is not JSON`,
        context,
      );
    }
    // Registries answer `"tags": null` for a repository without tags. Older ones (CNCF
    // distribution 2.x) ignore `n` and `last` for tags and answer in directory order: each
    // page is sorted and cut after `last` here, which is a no-op for registries that comply.
    const page = (Array.isArray(items) ? items : [])
      .filter((item): item is string => typeof item === 'string')
      .sort();
    for (const item of page) if (options.last === undefined || item > options.last) yield item;
    const next = nextLink(response.headers.link, response.url);
    // A registry that links to a page it already served would loop forever.
    path =
      next && next.origin === transport.origin.origin && !seen.has(next.href)
        ? `${next.pathname}${next.search}`
        : undefined;
    if (next) seen.add(next.href);
  }
}
