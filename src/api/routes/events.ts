import { z } from 'zod';
import type { Actor, EventOutcome, EventSource } from '../../engine/service.js';
import type { ApiServices } from '../services.js';
import { recordAudit, runStartEntry } from '../audit.js';
import { type AnyRoute, defineRoute } from '../http/route.js';
import { EventOutcomeSchema, EventSourceParams, TriggerListSchema } from '../schemas/triggers.js';

const listTriggers = defineRoute({
  method: 'GET',
  path: '/api/triggers',
  operationId: 'listTriggers',
  summary: 'List the triggers of the latest workflow versions',
  tags: ['triggers'],
  access: { kind: 'token', permission: 'read' },
  responses: {
    200: { description: 'Triggers, with the next firing time of schedules', schema: TriggerListSchema },
  },
  async handler({ services }) {
    return { body: { triggers: await services.engine.listTriggers() } };
  },
});

/**
 * Hands registry events to the engine and accounts for them: counted by outcome, and every
 * run they start counted and audited. The webhook route and the built-in registry (in
 * process, under `airlock serve`) both deliver through here.
 */
export async function acceptEvents(
  services: ApiServices,
  source: EventSource,
  body: unknown,
  actor: Actor,
): Promise<EventOutcome> {
  const outcome = await services.engine.receiveEvent(source, body, actor);
  services.metrics.eventsReceived.inc({ source, outcome: 'accepted' }, outcome.events - outcome.duplicates);
  services.metrics.eventsReceived.inc({ source, outcome: 'duplicate' }, outcome.duplicates);
  for (const run of outcome.runs) {
    services.metrics.runsStarted.inc({ workflow: run.workflow, trigger: 'registry' });
    await recordAudit(services, runStartEntry(run, actor.subject, { source }));
  }
  return outcome;
}

const receiveEvent = defineRoute({
  method: 'POST',
  path: '/api/events/{source}',
  operationId: 'receiveRegistryEvent',
  summary: 'Receive registry notifications',
  description:
    '`airlock` and `distribution`: a CNCF distribution notification envelope (`{"events": [...]}`); ' +
    '`harbor`: a Harbor webhook (`{"type": "PUSH_ARTIFACT", ...}`). Events are deduplicated by id and start ' +
    'the workflows whose registry triggers match. Authenticate with the shared secret configured for the ' +
    'source (sent as the Authorization header, with or without `Bearer `) or an API token with the operator role.',
  tags: ['triggers'],
  access: { kind: 'webhook' },
  params: EventSourceParams,
  body: z.unknown(),
  requestContent: { 'application/json': z.record(z.string(), z.unknown()) },
  responses: { 202: { description: 'Accepted; the runs started', schema: EventOutcomeSchema } },
  async handler({ params, body, actor, services }) {
    return { status: 202, body: await acceptEvents(services, params.source, body, actor) };
  },
});

export const eventRoutes: AnyRoute[] = [listTriggers, receiveEvent];
