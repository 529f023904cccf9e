import { z } from 'zod';
import { AppError } from '../../kernel/index.js';
import { type AnyRoute, defineRoute } from '../http/route.js';
import { StatusSchema } from '../schemas/common.js';

const TAGS = ['system'];

/** A readiness check slower than this counts as failed: an orchestrator's probe must not hang. */
const READINESS_TIMEOUT_MS = 2_000;

const healthz = defineRoute({
  method: 'GET',
  path: '/api/healthz',
  operationId: 'healthz',
  summary: 'Liveness: the process serves requests',
  tags: TAGS,
  access: { kind: 'public' },
  responses: { 200: { description: 'Alive', schema: StatusSchema } },
  async handler() {
    return { body: { status: 'ok' } };
  },
});

const readyz = defineRoute({
  method: 'GET',
  path: '/api/readyz',
  operationId: 'readyz',
  summary: 'Readiness: the database answers',
  tags: TAGS,
  access: { kind: 'public' },
  responses: { 200: { description: 'Ready', schema: StatusSchema } },
  async handler({ services, signal }) {
    try {
      await services.checkReady(AbortSignal.any([signal, AbortSignal.timeout(READINESS_TIMEOUT_MS)]));
    } catch (error) {
      services.logger.warn(
        { err: error instanceof Error ? error.message : String(error) },
        'readiness check failed',
      );
      throw new AppError('API_NOT_READY', 'the database does not answer', { cause: error });
    }
    return { body: { status: 'ready' } };
  },
});

const metrics = defineRoute({
  method: 'GET',
  path: '/metrics',
  operationId: 'metrics',
  summary: 'Prometheus metrics',
  description:
    'Text exposition format 0.0.4: Node.js process metrics, API request durations, run and step counters.',
  tags: TAGS,
  access: { kind: 'public' },
  responses: { 200: { description: 'Metrics', mediaType: 'text/plain', schema: z.string() } },
  async handler({ services }) {
    const { registry } = services.metrics;
    return { body: await registry.metrics(), mediaType: registry.contentType };
  },
});

const openApi = defineRoute({
  method: 'GET',
  path: '/api/openapi.json',
  operationId: 'openApiDocument',
  summary: 'This API, as an OpenAPI 3.1 document',
  tags: TAGS,
  access: { kind: 'public' },
  responses: { 200: { description: 'The OpenAPI document', schema: z.record(z.string(), z.unknown()) } },
  async handler({ services }) {
    return { body: services.openApiDocument() };
  },
});

export const systemRoutes: AnyRoute[] = [healthz, readyz, metrics, openApi];
