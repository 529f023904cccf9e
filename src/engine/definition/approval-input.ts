import { z } from 'zod';
import { durationProblem, parseDuration } from './duration.js';

/** Who may decide: a role or a user subject. */
const APPROVER = /^(role|user):[A-Za-z0-9._@:-]+$/;

/**
 * What an `approval@v1` step takes in `with`, evaluated. Checked when a definition is applied
 * (for the values written literally) and again when the step runs (for all of them).
 */
export const approvalInputSchema = z
  .object({
    approvers: z
      .array(z.string().regex(APPROVER, 'an approver is "role:<role>" or "user:<name>"'), {
        error: "a list of approvers, e.g. ['role:approver', 'user:alice']",
      })
      .min(1, 'at least one approver')
      .optional(),
    message: z.string().max(4000).optional(),
    timeout: z
      .string()
      .superRefine((text, ctx) => {
        const problem = durationProblem(text);
        if (problem) ctx.addIssue({ code: 'custom', message: problem });
      })
      .optional(),
    timeoutMs: z.number().int().positive().optional(),
    onTimeout: z.enum(['approve', 'deny']).optional(),
  })
  .strict();

export type ApprovalInput = z.infer<typeof approvalInputSchema>;

/** The wait, in milliseconds, that an approval input asks for (undefined: the default). */
export function approvalTimeoutMs(input: ApprovalInput): number | undefined {
  return input.timeoutMs ?? (input.timeout === undefined ? undefined : parseDuration(input.timeout));
}

/** An approval input checked against the schema: its value, or every problem with its path. */
export function checkApprovalInput(
  input: unknown,
):
  | { ok: true; value: ApprovalInput }
  | { ok: false; problems: { path: (string | number)[]; message: string }[] } {
  const parsed = approvalInputSchema.safeParse(input ?? {});
  if (parsed.success) return { ok: true, value: parsed.data };
  return {
    ok: false,
    problems: parsed.error.issues.map((issue) => ({
      path: issue.path.map((p) => (typeof p === 'symbol' ? String(p) : p)),
      message:
        issue.code === 'unrecognized_keys'
          ? `unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `"${k}"`).join(', ')}: approval@v1 takes approvers, message, timeout, timeoutMs, onTimeout`
          : issue.message,
    })),
  };
}
