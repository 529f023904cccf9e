import { anySignal, maskSecretsWith, secretMasker } from '../../kernel/index.js';
import type { ActionDefinition } from '../actions/contract.js';
import type { StepDefinition } from '../definition/types.js';
import type { Outcome } from './durable.js';
import type { RunEnvironment, RunPlan } from './environment.js';
import { toFailure } from './failure.js';

export interface AttemptRequest {
  plan: RunPlan;
  step: StepDefinition;
  /** The step's evaluated environment, for actions that run commands. */
  env?: Record<string, string>;
  /** forEach item index. */
  index?: number;
  attempt: number;
  /** Whether no further attempt follows a failure of this one. */
  last: boolean;
  /** The step's `with`, already evaluated. */
  input: unknown;
}

/**
 * One attempt of an action: validates the input against the action's schema, runs it with a
 * step-scoped logger, the run's cancellation and the step's time-out, validates its output,
 * and records the step's state. Never throws: the outcome is a value (so that it can be
 * recorded as a durable step's result).
 */
export async function runAttempt(
  env: RunEnvironment,
  request: AttemptRequest,
): Promise<Outcome<Record<string, unknown>>> {
  const { plan, step, index, attempt } = request;
  const where = index === undefined ? step.id : `${step.id}[${index}]`;
  const base = {
    runId: plan.runId,
    stepId: step.id,
    ...(index === undefined ? {} : { index }),
    uses: step.uses,
    attempt,
  };
  const action = env.actions.get(step.uses);
  if (!action) {
    return record(
      env,
      base,
      {
        ok: false,
        error: {
          code: 'ENGINE_ACTION_UNKNOWN',
          message: `step ${where}: no action ${step.uses} in this Airlock`,
          retryable: false,
          step: step.id,
        },
      },
      true,
    );
  }
  const parsed = action.input.safeParse(request.input);
  if (!parsed.success) {
    const problems = parsed.error.issues
      .map((i) => `${i.path.join('.') || '(input)'}: ${i.message}`)
      .join('; ');
    return record(
      env,
      base,
      {
        ok: false,
        error: {
          code: 'ENGINE_INPUT_INVALID',
          message: `step ${where}: invalid input for ${step.uses}: ${problems}`,
          retryable: false,
          step: step.id,
        },
      },
      true,
    );
  }
  await env.recorder.stepState({ ...base, status: 'running', started: true, error: null });
  const secrets = Object.values(env.secrets());
  const { logger, flush } = env.logs.logger({
    runId: plan.runId,
    stepId: step.id,
    ...(index === undefined ? {} : { index }),
    secrets,
  });
  const timeoutMs = step.timeoutMs ?? plan.definition.timeoutMs;
  const signal =
    anySignal(env.cancellation(plan.runId), timeoutMs ? AbortSignal.timeout(timeoutMs) : undefined) ??
    new AbortController().signal;
  let outcome: Outcome<Record<string, unknown>>;
  try {
    const output = await (action as ActionDefinition<unknown, unknown>).run(parsed.data, {
      runId: plan.runId,
      stepId: step.id,
      ...(index === undefined ? {} : { index }),
      attempt,
      env: request.env ?? {},
      logger,
      signal,
      // Secret names are case-insensitive (AIRLOCK_SECRET_TOKEN is `token`).
      secret: (name) => env.secrets()[name] ?? env.secrets()[name.toLowerCase()],
      progress: (update) => logger.debug({ progress: update }, update.message ?? 'progress'),
      services: env.services,
    });
    const checked = action.output.safeParse(output);
    outcome = checked.success
      ? { ok: true, value: (checked.data ?? {}) as Record<string, unknown> }
      : {
          ok: false,
          error: {
            code: 'INTERNAL',
            message: `action ${step.uses} returned output that does not match its schema`,
            retryable: false,
            step: step.id,
          },
        };
  } catch (error) {
    const timedOut = signal.aborted && !env.cancellation(plan.runId).aborted;
    outcome = {
      ok: false,
      error: timedOut
        ? {
            code: 'ENGINE_STEP_TIMEOUT',
            message: `step ${where} timed out after ${timeoutMs} ms`,
            retryable: true,
            step: step.id,
          }
        : toFailure(error, step.id),
    };
    if (outcome.ok === false) logger.error({ code: outcome.error.code }, outcome.error.message);
  } finally {
    await flush();
  }
  return record(env, base, outcome, request.last);
}

async function record(
  env: RunEnvironment,
  base: { runId: string; stepId: string; index?: number; uses: string; attempt: number },
  outcome: Outcome<Record<string, unknown>>,
  last: boolean,
): Promise<Outcome<Record<string, unknown>>> {
  outcome = maskSecretsWith(outcome, secretMasker(Object.values(env.secrets())));
  if (outcome.ok) {
    await env.recorder.stepState({
      ...base,
      status: 'succeeded',
      finished: true,
      outputs: outcome.value,
      error: null,
    });
  } else {
    const final = last || !outcome.error.retryable;
    await env.recorder.stepState({
      ...base,
      status: final ? 'failed' : 'retrying',
      finished: final,
      error: { code: outcome.error.code, message: outcome.error.message },
    });
  }
  return outcome;
}
