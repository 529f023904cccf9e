import type { Action } from '../config.js';
import type { Need } from '../auth/request-authorizer.js';
import { deleteBlob, getBlob } from '../handlers/blobs.js';
import { getBase, listCatalog, listTags } from '../handlers/listing.js';
import { deleteManifest, getManifest, putManifest } from '../handlers/manifests.js';
import { listReferrers } from '../handlers/referrers.js';
import { issueToken } from '../handlers/token.js';
import { cancelUpload, getUploadStatus, patchUpload, putUpload, startUpload } from '../handlers/uploads.js';
import type { Handler } from './context.js';
import type { Route } from './route.js';

/** The handler of a route and method, and what the caller needs to be allowed. */
export interface Dispatch {
  handler: Handler<never>;
  need: Need | undefined;
}

const PULL: readonly Action[] = ['pull'];
const PUSH: readonly Action[] = ['push'];
const DELETE: readonly Action[] = ['delete'];

/** Undefined when the route does not answer the method (405). */
export function dispatch(route: Route, method: string): Dispatch | undefined {
  const read = method === 'GET' || method === 'HEAD';
  switch (route.kind) {
    case 'base':
      return read ? { handler: getBase, need: { kind: 'base' } } : undefined;
    case 'catalog':
      return method === 'GET' ? { handler: listCatalog, need: { kind: 'catalog' } } : undefined;
    case 'token':
      return method === 'GET' || method === 'POST' ? { handler: issueToken, need: undefined } : undefined;
    case 'manifest':
      if (read) return repo(getManifest, route.name, PULL);
      if (method === 'PUT') return repo(putManifest, route.name, PUSH);
      return method === 'DELETE' ? repo(deleteManifest, route.name, DELETE) : undefined;
    case 'blob':
      if (read) return repo(getBlob, route.name, PULL);
      return method === 'DELETE' ? repo(deleteBlob, route.name, DELETE) : undefined;
    case 'upload-start':
      return method === 'POST' ? repo(startUpload, route.name, PUSH) : undefined;
    case 'upload':
      return uploadDispatch(route.name, method);
    case 'tags':
      return method === 'GET' ? repo(listTags, route.name, PULL) : undefined;
    case 'referrers':
      return method === 'GET' ? repo(listReferrers, route.name, PULL) : undefined;
  }
}

function uploadDispatch(name: string, method: string): Dispatch | undefined {
  switch (method) {
    case 'GET':
      return repo(getUploadStatus, name, PUSH);
    case 'PATCH':
      return repo(patchUpload, name, PUSH);
    case 'PUT':
      return repo(putUpload, name, PUSH);
    case 'DELETE':
      return repo(cancelUpload, name, PUSH);
    default:
      return undefined;
  }
}

function repo<R extends Route>(handler: Handler<R>, name: string, actions: readonly Action[]): Dispatch {
  return { handler: handler as Handler<never>, need: { kind: 'repository', name, actions } };
}
