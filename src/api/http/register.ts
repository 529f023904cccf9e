import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import type { Actor, EventSource } from '../../engine/service.js';
import { AppError } from '../../kernel/index.js';
import { type Caller, authenticate, authorize } from '../auth/authenticate.js';
import { rolesGranting } from '../auth/permissions.js';
import type { ApiServices } from '../services.js';
import { recordAuditFailure } from '../audit.js';
import { type Access, type AnyRoute, fastifyPath } from './route.js';

/** Field errors listed in a validation problem's `detail`; all of them are in `errors`. */
const DETAIL_PROBLEMS = 3;

/** Who sends registry events when they authenticate with the shared secret rather than a token. */
const WEBHOOK_ACTOR: Actor = { subject: 'system:webhook', roles: [] };
/** The caller of a public route. */
const ANONYMOUS: Actor = { subject: 'anonymous', roles: [] };

/** Adds one route of the table to the server: admission, validation, handler, response. */
export function registerRoute(app: FastifyInstance, route: AnyRoute, services: ApiServices): void {
  app.route({
    method: route.method,
    url: fastifyPath(route.path),
    // A HEAD of an event stream would hold the connection open with nothing to send.
    exposeHeadRoute: route.method === 'GET' && !isStream(route),
    handler: async (request, reply) => {
      const signal = requestSignal(reply);
      const actor = await admit(route.access, request, services, signal);
      const context = {
        params: parse(route.params, request.params, 'path'),
        query: parse(route.query, request.query, 'query'),
        body: parse(route.body, request.body, 'body'),
        actor,
        request,
        reply,
        services,
        signal,
      };
      const result = await route.handler(context);
      if (!result) return reply;
      reply.code(result.status ?? 200);
      for (const [name, value] of Object.entries(result.headers ?? {})) reply.header(name, value);
      if (result.mediaType) reply.type(result.mediaType);
      return reply.send(result.body);
    },
  });
}

function isStream(route: AnyRoute): boolean {
  return Object.values(route.responses).some((response) => response.mediaType === 'text/event-stream');
}

async function admit(
  access: Access,
  request: FastifyRequest,
  services: ApiServices,
  signal: AbortSignal,
): Promise<Actor> {
  if (access.kind === 'public') return ANONYMOUS;
  if (access.kind === 'webhook' && presentsWebhookSecret(request, services)) return WEBHOOK_ACTOR;
  const deps = {
    ...services,
    onAuditFailure: (action: string, error: unknown) => recordAuditFailure(services, action, error),
  };
  const caller = await authenticate(request, deps, signal);
  authorize(caller, access.kind === 'webhook' ? 'events' : access.permission, services.metrics);
  request.caller = caller;
  return caller.actor;
}

/**
 * Whether a webhook request carries its source's shared secret. False when the source has none
 * or the request carries an API token instead (both go through token authentication); a 401 when
 * it carries something else.
 */
function presentsWebhookSecret(request: FastifyRequest, services: ApiServices): boolean {
  const source = (request.params as { source?: EventSource }).source;
  const secret = source === undefined ? undefined : services.webhookSecrets[source];
  const header = request.headers.authorization;
  if (secret === undefined || (header !== undefined && /^Bearer\s+airlock_/i.test(header))) return false;
  if (header !== undefined && matchesSecret(header, secret)) return true;
  services.metrics.authFailures.inc({ reason: header === undefined ? 'missing' : 'unknown' });
  throw new AppError(
    'API_UNAUTHENTICATED',
    `the ${source} receiver needs its shared secret in the Authorization header, or an API token with the role ${rolesGranting('events').join(' or ')}`,
    { details: { challenge: header === undefined ? 'missing' : 'invalid_token' } },
  );
}

/** The secret as sent by CNCF distribution (`Bearer <secret>` in its configured headers) or Harbor (the raw value). */
function matchesSecret(header: string, secret: string): boolean {
  const value = header.replace(/^Bearer\s+/i, '');
  const digest = (text: string) => createHash('sha256').update(text, 'utf8').digest();
  return timingSafeEqual(digest(value), digest(secret)) || timingSafeEqual(digest(header), digest(secret));
}

function parse<T>(schema: z.ZodType<T> | undefined, value: unknown, where: 'path' | 'query' | 'body'): T {
  if (!schema) return undefined as T;
  const result = schema.safeParse(value ?? (where === 'body' ? undefined : {}));
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => ({
    path: [where, ...issue.path.map(String)].join('.'),
    message: issue.message,
  }));
  const listed = problems.slice(0, DETAIL_PROBLEMS).map((p) => `${p.path}: ${p.message}`);
  const more = problems.length > DETAIL_PROBLEMS ? ` (and ${problems.length - DETAIL_PROBLEMS} more)` : '';
  return throwInvalid(`invalid request: ${listed.join('; ')}${more}`, problems);
}

function throwInvalid(message: string, problems: { path: string; message: string }[]): never {
  throw new AppError('API_REQUEST_INVALID', message, { details: { problems } });
}

/** Aborts when the client closes the connection before the response is complete. */
function requestSignal(reply: FastifyReply): AbortSignal {
  const controller = new AbortController();
  reply.raw.once('close', () => {
    if (!reply.raw.writableFinished)
      controller.abort(new AppError('ABORTED', 'the client closed the connection'));
  });
  return controller.signal;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** The authenticated caller, on routes that need a token. */
    caller?: Caller;
  }
}
