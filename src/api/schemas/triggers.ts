import { z } from 'zod';
import { named } from './registry.js';
import { RunSummarySchema } from './runs.js';

export const TriggerSummarySchema = named(
  'TriggerSummary',
  z.object({
    workflow: z.string(),
    version: z.number().int(),
    type: z.string(),
    description: z.string(),
    nextFireAt: z.string().optional(),
  }),
);

export const TriggerListSchema = named('TriggerList', z.object({ triggers: z.array(TriggerSummarySchema) }));

export const EventSourceSchema = z.enum(['airlock', 'distribution', 'harbor']);

export const EventSourceParams = z.object({ source: EventSourceSchema });

export const EventOutcomeSchema = named(
  'EventOutcome',
  z.object({
    events: z.number().int().describe('Events recognised in the body'),
    duplicates: z.number().int().describe('Events seen before (deduplicated by id)'),
    runs: z.array(RunSummarySchema).describe('Runs the events started'),
  }),
);
