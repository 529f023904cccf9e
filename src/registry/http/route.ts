/** The registry's endpoints (distribution-spec v1.1 "Endpoints", plus the token endpoint). */
export type Route =
  | { kind: 'base' }
  | { kind: 'catalog' }
  | { kind: 'token' }
  | { kind: 'manifest'; name: string; reference: string }
  | { kind: 'blob'; name: string; digest: string }
  | { kind: 'upload-start'; name: string }
  | { kind: 'upload'; name: string; id: string }
  | { kind: 'tags'; name: string }
  | { kind: 'referrers'; name: string; digest: string };

export type RouteKind = Route['kind'];

export const TOKEN_PATH = '/token';

/** Methods each endpoint answers; others get 405 with an `Allow` header. */
export const ALLOWED_METHODS: Record<RouteKind, readonly string[]> = {
  base: ['GET', 'HEAD'],
  catalog: ['GET'],
  token: ['GET', 'POST'],
  manifest: ['GET', 'HEAD', 'PUT', 'DELETE'],
  blob: ['GET', 'HEAD', 'DELETE'],
  'upload-start': ['POST'],
  upload: ['GET', 'PATCH', 'PUT', 'DELETE'],
  tags: ['GET'],
  referrers: ['GET'],
};

/**
 * Maps a request path to an endpoint. Repository names contain slashes and may even
 * contain a component named `manifests` or `blobs`, so the endpoint is recognised from the
 * end of the path, where references, digests and session ids (which have no slash) sit.
 * The name is returned as found; validating it is the caller's job.
 */
export function matchRoute(path: string): Route | undefined {
  if (path === TOKEN_PATH) return { kind: 'token' };
  if (!path.startsWith('/v2/')) return path === '/v2' ? { kind: 'base' } : undefined;
  const rest = path.slice(4);
  if (rest === '') return { kind: 'base' };
  if (rest === '_catalog') return { kind: 'catalog' };
  if (rest.endsWith('/tags/list')) return named('tags', rest.slice(0, -'/tags/list'.length));
  if (rest.endsWith('/blobs/uploads/'))
    return named('upload-start', rest.slice(0, -'/blobs/uploads/'.length));
  if (rest.endsWith('/blobs/uploads')) return named('upload-start', rest.slice(0, -'/blobs/uploads'.length));
  const lastSlash = rest.lastIndexOf('/');
  if (lastSlash <= 0 || lastSlash === rest.length - 1) return undefined;
  const last = rest.slice(lastSlash + 1);
  const head = rest.slice(0, lastSlash);
  const prevSlash = head.lastIndexOf('/');
  if (prevSlash <= 0) return undefined;
  const marker = head.slice(prevSlash + 1);
  const name = head.slice(0, prevSlash);
  switch (marker) {
    case 'manifests':
      return { kind: 'manifest', name, reference: last };
    case 'blobs':
      return { kind: 'blob', name, digest: last };
    case 'referrers':
      return { kind: 'referrers', name, digest: last };
    case 'uploads': {
      const blobsAt = name.lastIndexOf('/');
      if (blobsAt <= 0 || name.slice(blobsAt + 1) !== 'blobs') return undefined;
      return { kind: 'upload', name: name.slice(0, blobsAt), id: last };
    }
    default:
      return undefined;
  }
}

function named<K extends 'tags' | 'upload-start'>(kind: K, name: string): Route | undefined {
  return name === '' ? undefined : ({ kind, name } as Route);
}

/** The repository a route addresses, if any. */
export function repositoryOf(route: Route): string | undefined {
  return 'name' in route ? route.name : undefined;
}
