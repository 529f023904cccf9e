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
export function listTags(ctx: RepositoryContext, options: PageOptions = {}): AsyncIterable<string> {
  return paginate(ctx.transport, v2Path(ctx, 'tags/list'), 'tags', pullScopes(ctx), { registry: ctx.registry, repository: ctx.repository }, options);
}

/** All repositories of a registry (`/v2/_catalog`); many public registries refuse it. */
export function listRepositories(transport: RegistryTransport, options: PageOptions = {}): AsyncIterable<string> {
  const scopes: Scope[] = [{ type: 'registry', name: 'catalog', actions: ['*'] }];
  return paginate(transport, '/v2/_catalog', 'repositories', scopes, { registry: transport.registry }, options);
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
    const response = await transport.send({ method: 'GET', path, scopes, context, notFound: 'OCI_NAME_UNKNOWN', signal: options.signal });
    const text = await readText(response.body, MAX_PAGE_BYTES);
    let items: unknown;
    try {
      items = (JSON.parse(text) as Record<string, unknown>)[field];
    } catch {
      throw new OciError('OCI_PROTOCOL_ERROR', `${context.registry}${context.repository ? `/${context.repository}` : ''}: ${field} page is not JSON`, context);
    }
    // Registries answer `"tags": null` for a repository without tags.
    for (const item of Array.isArray(items) ? items : []) if (typeof item === 'string') yield item;
    const next = nextLink(response.headers.link, response.url);
    // A registry that links to a page it already served would loop forever.
    path = next && next.origin === transport.origin.origin && !seen.has(next.href) ? `${next.pathname}${next.search}` : undefined;
    if (next) seen.add(next.href);
  }
}
