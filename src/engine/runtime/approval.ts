import { parseDuration } from '../definition/index.js';
import type { StepDefinition } from '../definition/types.js';
import type { DurableContext, Outcome } from './durable.js';
import type { RunEnvironment, RunPlan } from './environment.js';

/** What an `approval@v1` step takes (already evaluated). */
export interface ApprovalInput {
  approvers?: string[];
  message?: string;
  /** How long to wait: a duration (`72h`, `30m`); default 72 h. */
  timeout?: string;
  /** The same in milliseconds. */
  timeoutMs?: number;
  onTimeout?: 'approve' | 'deny';
}

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
  input: ApprovalInput,
): Promise<Outcome<Record<string, unknown>>> {
  const timeoutMs =
    input.timeoutMs ??
    (input.timeout ? parseDuration(input.timeout) : undefined) ??
    DEFAULT_APPROVAL_TIMEOUT_MS;
  const base = {
    runId: plan.runId,
    stepId: step.id,
    ...(index === undefined ? {} : { index }),
    uses: step.uses,
    attempt: 1,
  };
  await ctx.step(`${step.id}${index === undefined ? '' : `[${index}]`}:request`, async () => {
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
  return ctx.step(`${step.id}${index === undefined ? '' : `[${index}]`}:decision`, async () => {
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
