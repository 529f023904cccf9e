import type { StepDefinition } from '../definition/types.js';
import type { DurableContext, FailureInfo, Outcome, SerializedScope } from './durable.js';
import type { RunEnvironment, RunPlan } from './environment.js';
import { condition, evaluate } from './expressions.js';
import { toFailure } from './failure.js';
import { executeItem } from './item.js';
import { aggregateOutputs } from './scope.js';
import { runChildren } from './window.js';

/** Items of a forEach step run at once unless `maxParallel` says otherwise. */
export const DEFAULT_MAX_PARALLEL = 8;

export interface NodeOutcome {
  status: 'succeeded' | 'failed' | 'skipped';
  outputs: Record<string, unknown>;
  /** When `continueOnError` let a failed step count as done. */
  conclusion?: 'success' | 'failure';
  error?: FailureInfo;
}

/**
 * Runs one step of the graph: its `if`, then either one execution or a fan-out over its
 * `forEach` items (as durable children, `maxParallel` at a time, stopping new items after a
 * failure unless `continueOnError`).
 */
export async function executeNode(
  ctx: DurableContext,
  env: RunEnvironment,
  plan: RunPlan,
  stepId: string,
  scope: SerializedScope,
): Promise<NodeOutcome> {
  const step = plan.definition.steps.find((s) => s.id === stepId)!;
  const recordNode = (
    status: string,
    fields: {
      outputs?: Record<string, unknown> | null;
      error?: { code: string; message: string } | null;
      started?: boolean;
      finished?: boolean;
    } = {},
  ) => env.recorder.stepState({ runId: plan.runId, stepId, uses: step.uses, status, attempt: 0, ...fields });
  if (step.if !== undefined) {
    let run: boolean;
    try {
      run = condition(env, step.if, scope, `step ${stepId} if`);
    } catch (error) {
      const failure = toFailure(error, stepId);
      await ctx.step(`${stepId}:if`, () =>
        recordNode('failed', { finished: true, error: { code: failure.code, message: failure.message } }),
      );
      return finish(step, { ok: false, error: failure }, {});
    }
    if (!run) {
      await ctx.step(`${stepId}:skipped`, () => recordNode('skipped', { finished: true, error: null }));
      return { status: 'skipped', outputs: {} };
    }
  }
  if (step.forEach === undefined) return finish(step, await executeItem(ctx, env, plan, step, scope), {});
  let items: unknown;
  try {
    items = evaluate(env, asTemplate(step.forEach), scope, `step ${stepId} forEach`);
    if (!Array.isArray(items))
      throw new Error(`step ${stepId} forEach must yield a list, got ${typeof items}`);
  } catch (error) {
    const failure = toFailure(error, stepId);
    await ctx.step(`${stepId}:forEach`, () =>
      recordNode('failed', { finished: true, error: { code: failure.code, message: failure.message } }),
    );
    return finish(step, { ok: false, error: failure }, {});
  }
  const list = items as unknown[];
  await ctx.step(`${stepId}:fan-out`, () =>
    recordNode('running', { started: true, outputs: { items: list.length }, error: null }),
  );
  const calls = list.map((value, index) => ({
    kind: 'item' as const,
    id: `${plan.runId}/${stepId}/${index}`,
    runId: plan.runId,
    stepId,
    index,
    item: value,
    scope,
  }));
  const results = await runChildren<Outcome<Record<string, unknown>>>(
    ctx,
    calls,
    step.maxParallel ?? DEFAULT_MAX_PARALLEL,
    {
      onResult: (_call, result) => result.ok || step.continueOnError,
    },
  );
  const ordered = calls.map((c) => results.get(c.id));
  const outputs = aggregateOutputs(ordered.map((r) => (r?.ok ? r.value : undefined)));
  const failed = ordered.find((r) => r !== undefined && !r.ok);
  const outcome: Outcome<Record<string, unknown>> =
    failed && !failed.ok
      ? {
          ok: false,
          error: {
            ...failed.error,
            message: `${ordered.filter((r) => r && !r.ok).length} of ${list.length} items failed; first: ${failed.error.message}`,
          },
        }
      : { ok: true, value: outputs };
  await ctx.step(`${stepId}:fan-in`, () =>
    recordNode(outcome.ok ? 'succeeded' : 'failed', {
      finished: true,
      outputs,
      error: outcome.ok ? null : { code: outcome.error.code, message: outcome.error.message },
    }),
  );
  return finish(step, outcome, outputs);
}

function finish(
  step: StepDefinition,
  outcome: Outcome<Record<string, unknown>>,
  partial: Record<string, unknown>,
): NodeOutcome {
  if (outcome.ok) return { status: 'succeeded', outputs: outcome.value };
  if (step.continueOnError)
    return { status: 'failed', conclusion: 'success', outputs: partial, error: outcome.error };
  return { status: 'failed', conclusion: 'failure', outputs: partial, error: outcome.error };
}

/** `forEach` may be written bare (`steps.tags.outputs.tags`) or as a template. */
function asTemplate(text: string): string {
  return text.includes('${{') ? text : `\${{ ${text} }}`;
}
