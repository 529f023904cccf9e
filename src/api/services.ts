import type { EngineService, EventSource } from '../engine/service.js';
import type { Clock, Logger } from '../kernel/index.js';
import type { Metrics } from '../kernel/metrics.js';
import type { AuditLog, TokenStore } from '../store/index.js';

/** What route handlers use; built once per server by `createApiServer`. */
export interface ApiServices {
  engine: EngineService;
  tokens: TokenStore;
  audit: AuditLog;
  logger: Logger;
  metrics: Metrics;
  clock: Clock;
  /** Shared secrets of the webhook receivers, per source. */
  webhookSecrets: Partial<Record<EventSource, string>>;
  /** Resolves when the database answers. */
  checkReady(signal: AbortSignal): Promise<void>;
  /** The OpenAPI document, built once from the route table. */
  openApiDocument(): Record<string, unknown>;
  /** Interval of SSE keep-alive comments, milliseconds. */
  heartbeatMs: number;
  /** Aborted when the server starts closing, so that event streams end and `close()` returns. */
  closing: AbortSignal;
}
