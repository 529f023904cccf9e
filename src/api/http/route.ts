import type { FastifyReply, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import type { Actor } from '../../engine/service.js';
import type { Permission } from '../auth/permissions.js';
import type { ApiServices } from '../services.js';

/**
 * Who may call a route: anyone (health, metrics, the API's own documentation), holders of a
 * token whose roles grant a permission, or — for webhook receivers — a sender presenting the
 * source's shared secret, or a token granting `events`.
 */
export type Access = { kind: 'public' } | { kind: 'token'; permission: Permission } | { kind: 'webhook' };

export interface ResponseSpec {
  description: string;
  schema?: z.ZodType;
  /** When not `application/json`. */
  mediaType?: string;
}

export interface RouteContext<P, Q, B> {
  params: P;
  query: Q;
  body: B;
  /** The token's subject and roles; `anonymous` on public routes, `system:webhook` for a shared secret. */
  actor: Actor;
  request: FastifyRequest;
  reply: FastifyReply;
  services: ApiServices;
  /** Aborted when the client goes away. */
  signal: AbortSignal;
}

export interface RouteResult {
  /** 200 unless given. */
  status?: number;
  body?: unknown;
  headers?: Record<string, string>;
  /** Content type when the body is not JSON. */
  mediaType?: string;
}

/**
 * One API operation: its HTTP shape, who may call it, its schemas and its handler. The route
 * table is the single source of both the server's behaviour and the OpenAPI document.
 */
export interface RouteDefinition<P = unknown, Q = unknown, B = unknown> {
  method: 'GET' | 'POST' | 'DELETE';
  /** OpenAPI style: `/api/runs/{id}`. */
  path: string;
  operationId: string;
  summary: string;
  description?: string;
  tags: string[];
  access: Access;
  params?: z.ZodType<P>;
  query?: z.ZodType<Q>;
  body?: z.ZodType<B>;
  /** Request media types this route reads, with their schemas; JSON with `body` when absent. */
  requestContent?: Record<string, z.ZodType>;
  /** Success responses by status; error responses (problem+json) are documented for every route. */
  responses: Record<number, ResponseSpec>;
  /** Returns nothing when it answered itself (a stream). */
  handler(context: RouteContext<P, Q, B>): Promise<RouteResult | undefined>;
}

// Handlers are methods (bivariant), so any route is a RouteDefinition<unknown, …>.
export type AnyRoute = RouteDefinition<unknown, unknown, unknown>;

/** Keeps the schemas' types flowing into the handler's context. */
export function defineRoute<P = Record<string, never>, Q = Record<string, never>, B = undefined>(
  route: RouteDefinition<P, Q, B>,
): AnyRoute {
  return route as AnyRoute;
}

/** `/api/runs/{id}` → `/api/runs/:id`. */
export function fastifyPath(path: string): string {
  return path.replace(/\{([A-Za-z0-9_]+)\}/g, ':$1');
}
