import { randomUUID } from 'node:crypto';
import {
  type FastifyBaseLogger,
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
  LogController,
  fastify,
} from 'fastify';
import type { Actor, EngineService, EventOutcome, EventSource } from '../engine/service.js';
import { AppError, type Clock, type Logger, silentLogger, systemClock } from '../kernel/index.js';
import { type Metrics, createMetrics } from '../kernel/metrics.js';
import type { AuditLog, TokenStore } from '../store/index.js';
import { toApiError } from './http/errors.js';
import { PROBLEM_MEDIA_TYPE, toProblem } from './http/problem.js';
import { registerRoute } from './http/register.js';
import { registerDocsUi } from './openapi/docs-ui.js';
import { buildOpenApiDocument } from './openapi/document.js';
import { acceptEvents } from './routes/events.js';
import { apiRoutes } from './routes/index.js';
import { YAML_MEDIA_TYPES } from './routes/workflows.js';
import type { ApiServices } from './services.js';

export interface ApiServerOptions {
  engine: EngineService;
  tokens: TokenStore;
  audit: AuditLog;
  logger?: Logger;
  /** The process's metrics registry; a private one when absent. */
  metrics?: Metrics;
  /** Shared secrets of the webhook receivers, per source; a source without one needs an API token. */
  webhookSecrets?: Partial<Record<EventSource, string>>;
  /** Resolves when the database answers (`/api/readyz`); the token store's ping by default. */
  readiness?: (signal: AbortSignal) => Promise<void>;
  /** Airlock's version, in the OpenAPI document. */
  version?: string;
  /** Largest request body, bytes. Default 1 MiB. */
  bodyLimit?: number;
  clock?: Clock;
  /** Browsable API reference at `/api/docs`. Default true. */
  docs?: boolean;
  /** Interval of keep-alive comments on event streams, milliseconds. Default 15 s. */
  heartbeatMs?: number;
}

/** A workflow file is a page of YAML and a registry notification a few events: 1 MiB is generous for both. */
const DEFAULT_BODY_LIMIT = 1024 * 1024;
/** Below the 30–60 s idle time-outs common in proxies and load balancers. */
const DEFAULT_HEARTBEAT_MS = 15_000;
/** A client's X-Request-Id is kept when it is a plain token of reasonable length (it ends up in logs). */
const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;
/** Routes probed every few seconds: logged at debug level rather than drowning the access log. */
const QUIET_ROUTES = new Set(['/metrics', '/api/healthz', '/api/readyz']);

/**
 * The HTTP API: routes over the engine, token authentication with role checks, audit entries
 * for every change, problem+json errors, metrics, the OpenAPI document and its browsable
 * reference. Returns the fastify instance; listening is the caller's (`app.listen`).
 */
export interface ApiServer extends FastifyInstance {
  /** Delivers registry events as `POST /api/events/{source}` does, for a registry in this process. */
  acceptEvents(source: EventSource, body: unknown, actor: Actor): Promise<EventOutcome>;
}

export function createApiServer(options: ApiServerOptions): ApiServer {
  const bodyLimit = options.bodyLimit ?? DEFAULT_BODY_LIMIT;
  const logger = options.logger ?? silentLogger;
  const app = fastify({
    loggerInstance: logger as FastifyBaseLogger,
    // Requests are logged once, with stable keys, when the response ends (see `observe`).
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit,
    genReqId: (request) => {
      const given = request.headers['x-request-id'];
      return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
    },
  });
  let document: Record<string, unknown> | undefined;
  const closing = new AbortController();
  const services: ApiServices = {
    engine: options.engine,
    tokens: options.tokens,
    audit: options.audit,
    logger,
    metrics: options.metrics ?? createMetrics({ processMetrics: false }),
    clock: options.clock ?? systemClock,
    webhookSecrets: options.webhookSecrets ?? {},
    checkReady: options.readiness ?? ((signal) => options.tokens.ping({ signal })),
    openApiDocument: () =>
      (document ??= buildOpenApiDocument(apiRoutes, { version: options.version ?? '0.0.0' })),
    heartbeatMs: options.heartbeatMs ?? DEFAULT_HEARTBEAT_MS,
    closing: closing.signal,
  };
  app.addHook('preClose', async () => closing.abort(new AppError('ABORTED', 'the server is shutting down')));
  app.addContentTypeParser(YAML_MEDIA_TYPES, { parseAs: 'string' }, (_request, body, done) =>
    done(null, body),
  );
  app.addHook('onRequest', async (request, reply) => {
    reply.header('x-request-id', request.id);
    // Answers carry tokens, inputs and logs: never kept by a shared cache, never sniffed as another type.
    reply.header('cache-control', 'no-store');
    reply.header('x-content-type-options', 'nosniff');
    observe(request, reply, services);
  });
  app.setErrorHandler((error, request, reply) =>
    sendProblem(toApiError(error, { bodyLimit }), request, reply, services),
  );
  app.setNotFoundHandler((request, reply) =>
    sendProblem(
      new AppError(
        'API_NOT_FOUND',
        `no route ${request.method} ${request.url.split('?')[0]}: see /api/openapi.json`,
      ),
      request,
      reply,
      services,
    ),
  );
  for (const route of apiRoutes) registerRoute(app, route, services);
  if (options.docs !== false) registerDocsUi(app, services.openApiDocument);
  return Object.assign(app, {
    acceptEvents: (source: EventSource, body: unknown, actor: Actor) =>
      acceptEvents(services, source, body, actor),
  });
}

function sendProblem(
  error: AppError,
  request: FastifyRequest,
  reply: FastifyReply,
  services: ApiServices,
): FastifyReply {
  const problem = toProblem(error, request.id);
  if (problem.status >= 500)
    services.logger.error({ err: error, req: request.id, code: error.code }, 'request failed');
  if (reply.raw.destroyed) return reply;
  if (problem.status === 401) {
    const invalid = error.details.challenge === 'invalid_token' ? ', error="invalid_token"' : '';
    reply.header('www-authenticate', `Bearer realm="airlock"${invalid}`);
  }
  if (error.retryable && problem.status === 503) reply.header('retry-after', '5');
  return reply.code(problem.status).type(PROBLEM_MEDIA_TYPE).send(problem);
}

/** Request duration and an access-log line when the response ends, event streams included. */
function observe(request: FastifyRequest, reply: FastifyReply, services: ApiServices): void {
  const started = process.hrtime.bigint();
  reply.raw.once('close', () => {
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const route = request.routeOptions.url ?? 'unmatched';
    const status = reply.raw.statusCode;
    services.metrics.httpRequestDuration.observe(
      { method: request.method, route, status: String(status) },
      seconds,
    );
    const fields = {
      req: request.id,
      method: request.method,
      route,
      status,
      ms: Math.round(seconds * 1000),
      subject: request.caller?.actor.subject,
      aborted: !reply.raw.writableFinished || undefined,
    };
    if (QUIET_ROUTES.has(route)) services.logger.debug(fields, 'request');
    else services.logger.info(fields, 'request');
  });
}
