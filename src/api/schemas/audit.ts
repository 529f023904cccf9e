import { z } from 'zod';
import { named } from './registry.js';

export const AuditEntrySchema = named(
  'AuditEntry',
  z.object({
    seq: z.number().int(),
    at: z.string(),
    actor: z.string(),
    action: z
      .string()
      .describe(
        'run.start, run.cancel, run.retry, approval.approve, approval.deny, workflow.apply, token.create, token.revoke, token.use, event.receive',
      ),
    target: z.string(),
    details: z.record(z.string(), z.unknown()),
    prevHash: z.string(),
    hash: z.string(),
  }),
);

export const AuditListSchema = named(
  'AuditList',
  z.object({
    entries: z.array(AuditEntrySchema),
    next: z.number().int().nullable().describe('Pass as `before` for the next page; null on the last page'),
  }),
);

export const AuditListQuery = z.object({
  actor: z.string().optional(),
  action: z.string().optional(),
  target: z.string().optional(),
  before: z.coerce.number().int().min(1).optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
});
