import { z } from 'zod';
import { named } from './registry.js';

export const RunStatusSchema = named(
  'RunStatus',
  z.enum(['queued', 'running', 'waiting', 'succeeded', 'failed', 'cancelled']),
);
export const StepStatusSchema = named(
  'StepStatus',
  z.enum(['pending', 'queued', 'running', 'waiting', 'succeeded', 'failed', 'skipped', 'cancelled']),
);

const ErrorSummary = z.object({ code: z.string(), message: z.string() });

export const RunSummarySchema = named(
  'RunSummary',
  z.object({
    id: z.string(),
    workflow: z.string(),
    version: z.number().int().describe('The exact workflow version this run runs'),
    status: RunStatusSchema,
    trigger: z.object({ type: z.string(), event: z.unknown().optional() }),
    inputs: z.record(z.string(), z.unknown()),
    startedBy: z.string(),
    createdAt: z.string(),
    startedAt: z.string().optional(),
    finishedAt: z.string().optional(),
  }),
);

export const StepRunSchema = named(
  'StepRun',
  z.object({
    stepId: z.string(),
    index: z.number().int().optional().describe('forEach item index'),
    uses: z.string(),
    status: StepStatusSchema,
    attempt: z.number().int(),
    startedAt: z.string().optional(),
    finishedAt: z.string().optional(),
    outputs: z.record(z.string(), z.unknown()).optional(),
    error: ErrorSummary.optional(),
  }),
);

export const RunDetailSchema = named(
  'RunDetail',
  RunSummarySchema.extend({
    steps: z.array(StepRunSchema),
    outputs: z.record(z.string(), z.unknown()).optional(),
    error: ErrorSummary.extend({ step: z.string().optional() }).optional(),
  }),
);

export const RunListSchema = named(
  'RunList',
  z.object({
    runs: z.array(RunSummarySchema),
    next: z.string().nullable().describe('Pass as `before` for the next page; null on the last page'),
  }),
);

/** Most runs one page lists: a page is for people and scripts, not a data export. */
export const MAX_RUN_PAGE = 500;

export const RunListQuery = z.object({
  workflow: z.string().optional(),
  status: RunStatusSchema.optional(),
  limit: z.coerce.number().int().min(1).max(MAX_RUN_PAGE).default(50),
  before: z.string().optional().describe('Runs created before this run id (newest first)'),
});

export const StartRunRequestSchema = z.object({
  workflow: z.string().min(1),
  inputs: z
    .record(z.string(), z.unknown())
    .optional()
    .describe('Input values; strings are read as the declared type (e.g. "3" for a number)'),
  version: z.number().int().min(1).optional().describe('A specific version; the latest by default'),
  idempotencyKey: z
    .string()
    .min(1)
    .max(200)
    .optional()
    .describe(
      'A second start with the same key returns the first run (also read from the Idempotency-Key header)',
    ),
});

export const LogLineSchema = named(
  'LogLine',
  z.object({
    seq: z.number().int().describe('Increasing per run; the SSE event id'),
    at: z.string(),
    stepId: z.string().optional(),
    index: z.number().int().optional(),
    level: z.enum(['debug', 'info', 'warn', 'error']),
    message: z.string(),
    fields: z.record(z.string(), z.unknown()).optional(),
  }),
);

export const LogListSchema = named('LogList', z.object({ lines: z.array(LogLineSchema) }));

export const LogQuery = z.object({
  step: z.string().optional().describe('Only this step'),
  after: z.coerce.number().int().min(0).optional().describe('Only lines with a larger seq'),
});
