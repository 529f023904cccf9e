import { runAttempt } from './attempt.js';
import type { ChildCall, DurableContext } from './durable.js';
import type { RunEnvironment } from './environment.js';
import { executeItemChild, executeNodeChild } from './interpreter.js';

/** Runs a child durable function of any kind; the DBOS adapter and the in-memory runtime both use it. */
export async function runChild(ctx: DurableContext, env: RunEnvironment, call: ChildCall): Promise<unknown> {
  switch (call.kind) {
    case 'node':
      return executeNodeChild(ctx, env, call);
    case 'item':
      return executeItemChild(ctx, env, call);
    case 'attempt': {
      const plan = await env.loadPlan(call.runId);
      const step = plan.definition.steps.find((s) => s.id === call.stepId)!;
      return ctx.step('attempt', () =>
        runAttempt(env, {
          plan,
          step,
          ...(call.index >= 0 ? { index: call.index } : {}),
          attempt: call.attempt,
          last: call.last,
          input: call.input,
          ...(call.env ? { env: call.env } : {}),
        }),
      );
    }
  }
}
