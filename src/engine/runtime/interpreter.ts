import { maskSecretsWith, secretMasker } from '../../kernel/index.js';
import type { ChildCall, DurableContext, FailureInfo, Outcome, SerializedScope } from './durable.js';
import type { RunEnvironment, RunPlan } from './environment.js';
import { evaluate, evaluateEnv } from './expressions.js';
import { toFailure } from './failure.js';
import { executeItem } from './item.js';
import { type NodeOutcome, executeNode } from './node.js';
import { initialScope } from './scope.js';
import { runChildren } from './window.js';

/**
 * A run, durably: steps whose prerequisites are done start (in line when only one can, as
 * children when several can, so that independent steps run in parallel); a failed step skips
 * the steps that need it and fails the run, unless it has `continueOnError`. The run's outputs
 * are evaluated at the end.
 */
export async function executeRun(
  ctx: DurableContext,
  env: RunEnvironment,
  runId: string,
): Promise<Outcome<Record<string, unknown>>> {
  const plan = await ctx.step('start', async () => {
    const loaded = await env.loadPlan(runId);
    await env.recorder.runStarted(runId);
    return loaded;
  });
  const fail = async (problem: FailureInfo): Promise<Outcome<Record<string, unknown>>> => {
    await ctx.step('finish', () => env.recorder.runFinished(runId, 'failed', { error: problem }));
    return { ok: false, error: problem };
  };
  const scope = initialScope(plan, env.processEnv());
  try {
    scope.env = { ...scope.env, ...evaluateEnv(env, plan.definition.env, scope, 'env') };
  } catch (error) {
    return fail(toFailure(error));
  }
  const done = new Map<string, NodeOutcome>();
  let failure: FailureInfo | undefined;
  for (;;) {
    const ready = plan.order.filter(
      (id) => !done.has(id) && plan.dependencies[id]!.every((d) => done.has(d)),
    );
    if (ready.length === 0) break;
    const blocked = ready.filter((id) => plan.dependencies[id]!.some((d) => blocks(done.get(d)!)));
    if (blocked.length > 0) {
      await ctx.step(`skip:${blocked.join(',')}`, async () => {
        for (const id of blocked)
          await env.recorder.stepState({
            runId,
            stepId: id,
            uses: stepOf(plan, id).uses,
            status: 'skipped',
            attempt: 0,
            finished: true,
            error: null,
          });
      });
      for (const id of blocked) done.set(id, { status: 'skipped', outputs: {} });
      continue;
    }
    if (ready.length === 1) {
      record(done, scope, ready[0]!, await executeNode(ctx, env, plan, ready[0]!, scope));
    } else {
      const calls: ChildCall[] = ready.map((id) => ({
        kind: 'node',
        id: `${runId}/${id}`,
        runId,
        stepId: id,
        scope,
      }));
      await runChildren<NodeOutcome>(ctx, calls, calls.length, {
        onResult: (call, outcome) => {
          if (call.kind === 'node') record(done, scope, call.stepId, outcome);
        },
      });
    }
    failure ??= [...done.values()].find((o) => blocks(o))?.error;
  }
  if (failure) return fail(failure);
  const mask = secretMasker(Object.values(env.secrets()));
  let outputs: Record<string, unknown>;
  try {
    outputs = maskSecretsWith(
      evaluate(env, plan.definition.outputs, scope, 'outputs') as Record<string, unknown>,
      mask,
    );
  } catch (error) {
    return fail(toFailure(error));
  }
  await ctx.step('finish', () => env.recorder.runFinished(runId, 'succeeded', { outputs }));
  return { ok: true, value: outputs };
}

/** A child running one step of the graph (when several run at once). */
export async function executeNodeChild(
  ctx: DurableContext,
  env: RunEnvironment,
  call: Extract<ChildCall, { kind: 'node' }>,
): Promise<NodeOutcome> {
  const plan = await env.loadPlan(call.runId);
  return executeNode(ctx, env, plan, call.stepId, call.scope);
}

/** A child running one item of a forEach step. */
export async function executeItemChild(
  ctx: DurableContext,
  env: RunEnvironment,
  call: Extract<ChildCall, { kind: 'item' }>,
): Promise<Outcome<Record<string, unknown>>> {
  const plan = await env.loadPlan(call.runId);
  return executeItem(ctx, env, plan, stepOf(plan, call.stepId), call.scope, {
    value: call.item,
    index: call.index,
  });
}

function blocks(outcome: NodeOutcome): boolean {
  return outcome.status === 'failed' && outcome.conclusion !== 'success';
}

function record(
  done: Map<string, NodeOutcome>,
  scope: SerializedScope,
  stepId: string,
  outcome: NodeOutcome,
): void {
  done.set(stepId, outcome);
  scope.steps[stepId] = {
    outputs: outcome.outputs,
    status: outcome.status,
    ...(outcome.conclusion ? { conclusion: outcome.conclusion } : {}),
  };
}

function stepOf(plan: RunPlan, id: string) {
  return plan.definition.steps.find((s) => s.id === id)!;
}
