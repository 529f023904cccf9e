import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Clock, Logger } from '../../kernel/index.js';
import type { AccessPolicy } from '../auth/access-policy.js';
import type { Caller, RequestAuthorizer } from '../auth/request-authorizer.js';
import type { TokenService } from '../auth/token-service.js';
import type { RegistryLimits } from '../config.js';
import type { RegistryEventSink } from '../events.js';
import type { PullGate } from '../gate.js';
import type { BlobService } from '../service/blob-service.js';
import type { ManifestService } from '../service/manifest-service.js';
import type { MetadataStore } from '../storage/metadata-store.js';
import type { UploadStore } from '../storage/upload-store.js';
import type { Route } from './route.js';

/** Everything handlers use, built once per server. */
export interface RegistryServices {
  manifests: ManifestService;
  blobs: BlobService;
  uploads: UploadStore;
  metadata: MetadataStore;
  policy: AccessPolicy;
  authorizer: RequestAuthorizer;
  /** Absent when no auth is configured. */
  tokens?: TokenService;
  gate: PullGate;
  limits: RegistryLimits;
  logger: Logger;
  clock: Clock;
  /** Base URL for the token realm; else derived from each request's Host header. */
  publicUrl?: string;
  /** Told of every manifest push and deletion (notifications, workflow triggers). */
  events?: RegistryEventSink;
}

/** One request on its way through the handlers. */
export interface RequestContext<R extends Route = Route> {
  req: IncomingMessage;
  res: ServerResponse;
  route: R;
  query: URLSearchParams;
  caller: Caller;
  /** Aborts when the client goes away before the response is complete. */
  signal: AbortSignal;
  /** `<base>/token`, for challenges. */
  realm: string;
  /** Fields for the access log line, filled in by handlers. */
  log: { repository?: string; digest?: string };
}

export type Handler<R extends Route = Route> = (
  ctx: RequestContext<R>,
  services: RegistryServices,
) => Promise<void>;
