import { z } from 'zod';
import { AppError } from '../../kernel/index.js';
import { toApiError } from '../http/errors.js';
import { toProblem } from '../http/problem.js';
import { type AnyRoute, type RouteContext, defineRoute } from '../http/route.js';
import { SseStream } from '../http/sse.js';
import { RunIdParams } from '../schemas/common.js';
import { LogListSchema, LogQuery } from '../schemas/runs.js';
import { requireRun } from './runs.js';

const TAGS = ['runs'];

/** How long a client waits before reconnecting after the stream broke (the SSE `retry` field). */
const RECONNECT_MS = 2_000;

const runLogs = defineRoute({
  method: 'GET',
  path: '/api/runs/{id}/logs',
  operationId: 'getRunLogs',
  summary: "A run's log lines",
  tags: TAGS,
  access: { kind: 'token', permission: 'read' },
  params: RunIdParams,
  query: LogQuery,
  responses: { 200: { description: 'Log lines in order', schema: LogListSchema } },
  async handler({ params, query, services }) {
    await requireRun(services.engine.getRun(params.id), params.id);
    const lines = await services.engine.runLogs(params.id, { stepId: query.step, afterSeq: query.after });
    return { body: { lines } };
  },
});

const streamRunLogs = defineRoute({
  method: 'GET',
  path: '/api/runs/{id}/logs/stream',
  operationId: 'streamRunLogs',
  summary: "Follow a run's log live (Server-Sent Events)",
  description:
    "Sends each log line as an event `log` (id = the line's seq, data = the line as JSON) as it is written, " +
    "then an event `end` with the run's final status, and closes. A client that reconnects with " +
    '`Last-Event-ID` (or `?after=`) continues after that line. Comment lines are sent as keep-alives. ' +
    'A failure after the stream started is sent as an event `error` carrying a problem.',
  tags: TAGS,
  access: { kind: 'token', permission: 'read' },
  params: RunIdParams,
  query: LogQuery,
  responses: {
    200: {
      description: 'An event stream: `log` events, then one `end` event ({status, error?})',
      mediaType: 'text/event-stream',
      schema: z.string(),
    },
  },
  async handler(context) {
    const { params, services } = context;
    await requireRun(services.engine.getRun(params.id), params.id);
    await streamLogs(
      context,
      lastEventId(context.request.headers['last-event-id']) ?? context.query.after ?? 0,
    );
    return undefined;
  },
});

async function streamLogs(
  {
    params,
    query,
    request,
    reply,
    services,
    signal: clientGone,
  }: RouteContext<{ id: string }, z.output<typeof LogQuery>, unknown>,
  afterSeq: number,
): Promise<void> {
  // A stream lasts as long as the run: it also ends when the server shuts down.
  const signal = AbortSignal.any([clientGone, services.closing]);
  reply.hijack();
  const stream = new SseStream(reply.raw);
  stream.open({ 'x-request-id': request.id }, RECONNECT_MS);
  const heartbeat = setInterval(() => void stream.comment('keep-alive'), services.heartbeatMs);
  try {
    const lines = services.engine.followLogs(params.id, { stepId: query.step, afterSeq, signal });
    for await (const line of lines) await stream.send('log', line, line.seq);
    if (!signal.aborted) {
      const run = await services.engine.getRun(params.id);
      await stream.send('end', { status: run?.status, ...(run?.error ? { error: run.error } : {}) });
    }
  } catch (error) {
    if (!signal.aborted) {
      const problem = toProblem(toApiError(error, { bodyLimit: 0 }), request.id);
      if (problem.status >= 500) services.logger.error({ err: error, req: request.id }, 'log stream failed');
      await stream.send('error', problem);
    }
  } finally {
    clearInterval(heartbeat);
    stream.end();
  }
}

/** The `Last-Event-ID` a reconnecting EventSource sends: the seq of the last line it got. */
function lastEventId(header: string | string[] | undefined): number | undefined {
  if (header === undefined || Array.isArray(header) || header.trim() === '') return undefined;
  const value = Number(header);
  if (!Number.isSafeInteger(value) || value < 0)
    throw new AppError(
      'API_REQUEST_INVALID',
      `Last-Event-ID must be the seq of a log line, got "${header}"`,
      {
        details: { problems: [{ path: 'header.last-event-id', message: 'a non-negative integer' }] },
      },
    );
  return value;
}

export const logRoutes: AnyRoute[] = [runLogs, streamRunLogs];
