import type { ExpressionScope } from '../definition/types.js';
import type { SerializedScope } from './durable.js';
import type { RunPlan } from './environment.js';

/** The expression scope at the start of a run. */
export function initialScope(plan: RunPlan, processEnv: Record<string, string>): SerializedScope {
  return {
    inputs: plan.inputs,
    steps: {},
    // The workflow's own `env` is added once evaluated (its values may be templates).
    env: { ...processEnv },
    run: {
      id: plan.runId,
      workflow: plan.workflow,
      version: plan.version,
      startedAt: plan.createdAt,
      attempt: 1,
    },
    trigger: { type: plan.trigger.type, event: plan.trigger.event ?? null },
  };
}

/** The full scope for evaluating an expression: the serialised one plus secrets and the forEach item. */
export function expressionScope(
  scope: SerializedScope,
  secrets: Record<string, string>,
  item?: { value: unknown; index: number },
  stepEnv?: Record<string, string>,
): ExpressionScope {
  return {
    inputs: scope.inputs,
    steps: scope.steps,
    env: stepEnv ? { ...scope.env, ...stepEnv } : scope.env,
    secrets,
    run: scope.run,
    trigger: scope.trigger,
    ...(item ? { item: item.value, index: item.index } : {}),
  };
}

/**
 * The outputs a fanned-out step shows to later steps: for each output key, the items' values
 * in item order, arrays concatenated (so `digests` of copies of several tags is one list);
 * `results` lists every item's outputs as they were.
 */
export function aggregateOutputs(items: (Record<string, unknown> | undefined)[]): Record<string, unknown> {
  const out: Record<string, unknown> = { results: items.map((i) => i ?? {}) };
  const keys = new Set(items.flatMap((i) => (i ? Object.keys(i) : [])));
  for (const key of keys) {
    if (key === 'results') continue;
    const values: unknown[] = [];
    for (const item of items) {
      const value = item?.[key];
      if (value === undefined) continue;
      if (Array.isArray(value)) values.push(...value);
      else values.push(value);
    }
    out[key] = values;
  }
  return out;
}
