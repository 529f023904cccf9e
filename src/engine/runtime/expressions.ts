import { AppError, secretMasker } from '../../kernel/index.js';
import { evaluateCondition, evaluateTemplate } from '../definition/index.js';
import type { TemplatedValue } from '../definition/types.js';
import type { SerializedScope } from './durable.js';
import type { RunEnvironment } from './environment.js';
import { expressionScope } from './scope.js';

/** Evaluates a step's templates; an expression error is a permanent failure of the step. */
export function evaluate(
  env: RunEnvironment,
  value: TemplatedValue,
  scope: SerializedScope,
  where: string,
  item?: { value: unknown; index: number },
  stepEnv?: Record<string, string>,
): unknown {
  try {
    return evaluateTemplate(value, expressionScope(scope, env.secrets(), item, stepEnv));
  } catch (error) {
    throw expressionFailure(env, where, error);
  }
}

export function condition(env: RunEnvironment, text: string, scope: SerializedScope, where: string): boolean {
  try {
    return evaluateCondition(text, expressionScope(scope, env.secrets()));
  } catch (error) {
    throw expressionFailure(env, where, error);
  }
}

/**
 * A failed expression as a permanent step failure. Its message can quote values the
 * expression saw, secrets among them: they are masked here, for every expression (`with`,
 * `env`, `if`, `outputs`), and the original error is not kept.
 */
function expressionFailure(env: RunEnvironment, where: string, error: unknown): AppError {
  const mask = secretMasker(Object.values(env.secrets()));
  return new AppError('ENGINE_EXPRESSION_FAILED', mask(`${where}: ${(error as Error).message}`));
}

/**
 * Evaluates an `env` mapping (the workflow's or a step's) into strings: numbers and booleans
 * as text, lists and maps as JSON. Env values cannot read secrets (the definition check says
 * so), so the result may be kept in the run's scope and checkpoints.
 */
export function evaluateEnv(
  env: RunEnvironment,
  value: Record<string, TemplatedValue>,
  scope: SerializedScope,
  where: string,
  item?: { value: unknown; index: number },
): Record<string, string> {
  const evaluated = evaluate(env, value, scope, where, item) as Record<string, unknown>;
  const out: Record<string, string> = {};
  for (const [name, v] of Object.entries(evaluated ?? {})) {
    if (v === null || v === undefined) continue;
    out[name] = typeof v === 'string' ? v : typeof v === 'object' ? JSON.stringify(v) : String(v);
  }
  return out;
}
