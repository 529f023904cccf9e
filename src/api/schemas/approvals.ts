import { z } from 'zod';
import { named } from './registry.js';

export const ApprovalStatusSchema = named(
  'ApprovalStatus',
  z.enum(['pending', 'approved', 'denied', 'timed-out', 'cancelled']),
);

export const ApprovalSchema = named(
  'Approval',
  z.object({
    runId: z.string(),
    stepId: z.string(),
    index: z.number().int().optional(),
    status: ApprovalStatusSchema,
    approvers: z.array(z.string()).describe('Roles or subjects allowed to decide: role:approver, user:alice'),
    message: z.string().optional(),
    requestedAt: z.string(),
    timeoutAt: z.string().optional(),
    decidedBy: z.string().optional(),
    decidedAt: z.string().optional(),
    reason: z.string().optional(),
  }),
);

export const ApprovalListSchema = named('ApprovalList', z.object({ approvals: z.array(ApprovalSchema) }));

export const ApprovalListQuery = z.object({
  status: ApprovalStatusSchema.default('pending'),
  run: z.string().optional().describe('Only this run'),
});

/** Long enough for a justification, short enough to read in a table. */
export const MAX_REASON_LENGTH = 2000;

export const DecisionRequestSchema = z.object({
  step: z
    .string()
    .optional()
    .describe('The approval step, when the run waits on several; a forEach item as gate[2]'),
  reason: z.string().trim().min(1, 'a reason is required: say why, it is recorded').max(MAX_REASON_LENGTH),
});
