import { AppError } from '../../kernel/index.js';
import type { RunDetail } from '../../engine/service.js';
import { recordAudit, runStartEntry } from '../audit.js';
import { type AnyRoute, defineRoute } from '../http/route.js';
import { RunIdParams } from '../schemas/common.js';
import {
  RunDetailSchema,
  RunListQuery,
  RunListSchema,
  RunSummarySchema,
  StartRunRequestSchema,
} from '../schemas/runs.js';

const TAGS = ['runs'];

const startRun = defineRoute({
  method: 'POST',
  path: '/api/runs',
  operationId: 'startRun',
  summary: 'Start a run of a workflow',
  description:
    'Starts the latest version (or `version`) with the given inputs. With an idempotency key (in the body or the ' +
    '`Idempotency-Key` header), a repeated request returns the run the first one started.',
  tags: TAGS,
  access: { kind: 'token', permission: 'operate' },
  body: StartRunRequestSchema,
  responses: { 201: { description: 'The run, queued', schema: RunSummarySchema } },
  async handler({ body, actor, request, services }) {
    const header = request.headers['idempotency-key'];
    const idempotencyKey =
      body.idempotencyKey ?? (typeof header === 'string' && header !== '' ? header : undefined);
    const run = await services.engine.startRun(body.workflow, {
      inputs: body.inputs,
      version: body.version,
      actor,
      trigger: { type: 'manual' },
      idempotencyKey,
    });
    await recordAudit(
      services,
      runStartEntry(run, actor.subject, {
        inputs: run.inputs,
        // A repeated start returns the first run; the key tells the two entries apart from two runs.
        ...(idempotencyKey === undefined ? {} : { idempotencyKey }),
      }),
    );
    services.metrics.runsStarted.inc({ workflow: run.workflow, trigger: 'manual' });
    return { status: 201, body: run, headers: { location: `/api/runs/${encodeURIComponent(run.id)}` } };
  },
});

const listRuns = defineRoute({
  method: 'GET',
  path: '/api/runs',
  operationId: 'listRuns',
  summary: 'List runs, newest first',
  tags: TAGS,
  access: { kind: 'token', permission: 'read' },
  query: RunListQuery,
  responses: { 200: { description: 'One page of runs', schema: RunListSchema } },
  async handler({ query, services }) {
    const runs = await services.engine.listRuns(query);
    const next = runs.length === query.limit ? runs.at(-1)!.id : null;
    return { body: { runs, next } };
  },
});

const getRun = defineRoute({
  method: 'GET',
  path: '/api/runs/{id}',
  operationId: 'getRun',
  summary: 'Get a run with its steps and outputs',
  tags: TAGS,
  access: { kind: 'token', permission: 'read' },
  params: RunIdParams,
  responses: { 200: { description: 'The run', schema: RunDetailSchema } },
  async handler({ params, services }) {
    return { body: await requireRun(services.engine.getRun(params.id), params.id) };
  },
});

const cancelRun = defineRoute({
  method: 'POST',
  path: '/api/runs/{id}/cancel',
  operationId: 'cancelRun',
  summary: 'Cancel a run',
  description: 'Running steps are cancelled; a finished run cannot be cancelled (409).',
  tags: TAGS,
  access: { kind: 'token', permission: 'operate' },
  params: RunIdParams,
  responses: { 200: { description: 'The run, cancelled', schema: RunSummarySchema } },
  async handler({ params, actor, services }) {
    const run = await services.engine.cancelRun(params.id, actor);
    await recordAudit(services, {
      actor: actor.subject,
      action: 'run.cancel',
      target: `run:${run.id}`,
      details: { workflow: run.workflow, version: run.version },
    });
    return { body: run };
  },
});

const retryRun = defineRoute({
  method: 'POST',
  path: '/api/runs/{id}/retry',
  operationId: 'retryRun',
  summary: 'Start a new run with the same workflow version and inputs',
  tags: TAGS,
  access: { kind: 'token', permission: 'operate' },
  params: RunIdParams,
  responses: { 201: { description: 'The new run', schema: RunSummarySchema } },
  async handler({ params, actor, services }) {
    const run = await services.engine.retryRun(params.id, actor);
    await recordAudit(
      services,
      runStartEntry(run, actor.subject, { retryOf: params.id, inputs: run.inputs }),
    );
    services.metrics.runsStarted.inc({ workflow: run.workflow, trigger: 'retry' });
    return { status: 201, body: run, headers: { location: `/api/runs/${encodeURIComponent(run.id)}` } };
  },
});

export async function requireRun(lookup: Promise<RunDetail | undefined>, id: string): Promise<RunDetail> {
  const run = await lookup;
  if (!run) throw new AppError('ENGINE_RUN_NOT_FOUND', `run ${id} does not exist`, { details: { run: id } });
  return run;
}

export const runRoutes: AnyRoute[] = [startRun, listRuns, getRun, cancelRun, retryRun];
