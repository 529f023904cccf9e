import { approvalTimeoutMs, checkApprovalInput } from '../definition/approval-input.js';
import type { StepDefinition } from '../definition/types.js';
import type { DurableContext, Outcome } from './durable.js';
import type { RunEnvironment, RunPlan } from './environment.js';
import { itemKey } from './item-key.js';

/** What the API sends to the waiting workflow. */
export interface ApprovalMessage {
  decision: 'approve' | 'deny';
  by: string;
  reason: string;
}

/** Three days: long enough for a weekend, short enough that forgotten requests end. */
export const DEFAULT_APPROVAL_TIMEOUT_MS = 72 * 3600 * 1000;

export function approvalTopic(stepId: string, index?: number): string {
  return index === undefined ? `approval:${stepId}` : `approval:${stepId}:${index}`;
}

/**
 * An approval step: records the request, waits durably (days, across restarts) for a
 * decision message, and on time-out takes the configured default. Denied → the step fails.
 */
export async function executeApproval(
  ctx: DurableContext,
  env: RunEnvironment,
  plan: RunPlan,
  step: StepDefinition,
  index: number | undefined,
  raw: unknown,
): Promise<Outcome<Record<string, unknown>>> {
  const base = {
    runId: plan.runId,
    stepId: step.id,
    ...(index === undefined ? {} : { index }),
    uses: step.uses,
    attempt: 1,
  };
  const checked = checkApprovalInput(raw);
  if (!checked.ok) {
    const where = itemKey(step.id, index);
    const problems = checked.problems
      .map((p) => `${p.path.length > 0 ? `${p.path.join('.')}: ` : ''}${p.message}`)
      .join('; ');
    const error = {
      code: 'ENGINE_INPUT_INVALID',
      message: `step ${where}: invalid input for approval@v1: ${problems}`,
      retryable: false,
      step: step.id,
    };
    await ctx.step(`${where}:invalid`, () =>
      env.recorder.stepState({
        ...base,
        status: 'failed',
        started: true,
        finished: true,
        error: { code: error.code, message: error.message },
      }),
    );
    return { ok: false, error };
  }
  const input = checked.value;
  const timeoutMs = approvalTimeoutMs(input) ?? DEFAULT_APPROVAL_TIMEOUT_MS;
  await ctx.step(`${itemKey(step.id, index)}:request`, async () => {
    // The run shows as waiting before the approval is listed: whoever sees the request sees the wait.
    await env.recorder.stepState({ ...base, status: 'waiting', started: true, error: null });
    await env.recorder.runWaiting(plan.runId, true);
    await env.recorder.requestApproval({
      runId: plan.runId,
      stepId: step.id,
      ...(index === undefined ? {} : { index }),
      approvers: input.approvers ?? ['role:approver'],
      ...(input.message ? { message: input.message } : {}),
      timeoutAt: new Date(Date.now() + timeoutMs),
      waiter: ctx.workflowId,
    });
  });
  const message = await ctx.recv<ApprovalMessage>(approvalTopic(step.id, index), timeoutMs);
  return ctx.step(`${itemKey(step.id, index)}:decision`, async () => {
    if (!message) await env.recorder.approvalTimedOut(plan.runId, step.id, index);
    const approved = message ? message.decision === 'approve' : input.onTimeout === 'approve';
    const outputs = message
      ? { approved, decidedBy: message.by, reason: message.reason, timedOut: false }
      : {
          approved,
          decidedBy: 'system:timeout',
          reason: `no decision within ${Math.round(timeoutMs / 1000)} s`,
          timedOut: true,
        };
    await env.recorder.runWaiting(plan.runId, false);
    if (approved) {
      await env.recorder.stepState({ ...base, status: 'succeeded', finished: true, outputs, error: null });
      return { ok: true, value: outputs } as const;
    }
    const error = {
      code: 'ENGINE_APPROVAL_DENIED',
      message: message
        ? `denied by ${message.by}: ${message.reason}`
        : `not approved in time (${outputs.reason})`,
      retryable: false,
      step: step.id,
    };
    await env.recorder.stepState({
      ...base,
      status: 'failed',
      finished: true,
      outputs,
      error: { code: error.code, message: error.message },
    });
    return { ok: false, error } as const;
  });
}
