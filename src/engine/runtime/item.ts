import type { StepDefinition } from '../definition/types.js';
import { executeApproval } from './approval.js';
import { runAttempt } from './attempt.js';
import type { DurableContext, Outcome, SerializedScope } from './durable.js';
import type { RunEnvironment, RunPlan } from './environment.js';
import { evaluate, evaluateEnv } from './expressions.js';
import { toFailure } from './failure.js';
import { itemKey } from './item-key.js';

/** Exponential back-off doubles the delay each attempt, capped; "fixed" keeps the first. */
/** The longest a step waits between attempts, whatever its back-off or a registry's `Retry-After` asks. */
const MAX_RETRY_DELAY_MS = 3600_000;

/** The wait before the next attempt: the step's back-off, or longer when the failure said when to come back. */
export function retryDelay(step: StepDefinition, attempt: number, retryAfterMs = 0): number {
  const retry = step.retry;
  const backoff = !retry
    ? 0
    : Math.min(
        retry.backoff === 'exponential' ? retry.initialMs * 2 ** (attempt - 1) : retry.initialMs,
        retry.maxMs ?? MAX_RETRY_DELAY_MS,
      );
  return Math.max(backoff, Math.min(retryAfterMs, MAX_RETRY_DELAY_MS));
}

/**
 * One execution of a step (or of one forEach item): evaluates its `with`, then runs the
 * action's attempts — in line as durable steps, or as durable children on the action's queue
 * (upstream rate limits) — with durable sleeps between retries.
 */
export async function executeItem(
  ctx: DurableContext,
  env: RunEnvironment,
  plan: RunPlan,
  step: StepDefinition,
  scope: SerializedScope,
  item?: { value: unknown; index: number },
): Promise<Outcome<Record<string, unknown>>> {
  const index = item?.index;
  const where = `step ${itemKey(step.id, index)}`;
  let input: unknown;
  let stepEnv: Record<string, string>;
  try {
    stepEnv = { ...scope.env, ...evaluateEnv(env, step.env, scope, `${where} env`, item) };
    input = evaluate(env, step.with, scope, `${where} with`, item, stepEnv);
  } catch (error) {
    const failure = toFailure(error, step.id);
    await ctx.step(`${itemKey(step.id, index)}:invalid`, () =>
      env.recorder.stepState({
        runId: plan.runId,
        stepId: step.id,
        ...(index === undefined ? {} : { index }),
        uses: step.uses,
        status: 'failed',
        attempt: 0,
        finished: true,
        error: { code: failure.code, message: failure.message },
      }),
    );
    return { ok: false, error: failure };
  }
  if (step.uses === 'approval@v1') return executeApproval(ctx, env, plan, step, index, input);
  const attempts = step.retry?.attempts ?? 1;
  for (let attempt = 1; ; attempt++) {
    const last = attempt >= attempts;
    const queue = env.queueFor(step, input);
    const name = `${itemKey(step.id, index)}#${attempt}`;
    let outcome: Outcome<Record<string, unknown>>;
    if (queue) {
      const handle = await ctx.startChild(
        {
          kind: 'attempt',
          id: `${plan.runId}/${step.id}${index === undefined ? '' : `/${index}`}/attempt-${attempt}`,
          runId: plan.runId,
          stepId: step.id,
          index: index ?? -1,
          attempt,
          last,
          input,
          env: stepEnv,
        },
        { queue },
      );
      outcome = await ctx.result<Outcome<Record<string, unknown>>>(handle);
    } else {
      outcome = await ctx.step(name, () =>
        runAttempt(env, {
          plan,
          step,
          ...(index === undefined ? {} : { index }),
          attempt,
          last,
          input,
          env: stepEnv,
        }),
      );
    }
    if (outcome.ok || last || !outcome.error.retryable) return outcome;
    // The back-off, or longer when the other side said when to come back (capped at an hour).
    await ctx.sleep(retryDelay(step, attempt, outcome.error.retryAfterMs));
  }
}
