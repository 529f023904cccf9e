import { AppError } from '../../kernel/index.js';
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
    throw new AppError('ENGINE_EXPRESSION_FAILED', `${where}: ${(error as Error).message}`, { cause: error });
  }
}

export function condition(env: RunEnvironment, text: string, scope: SerializedScope, where: string): boolean {
  try {
    return evaluateCondition(text, expressionScope(scope, env.secrets()));
  } catch (error) {
    throw new AppError('ENGINE_EXPRESSION_FAILED', `${where}: ${(error as Error).message}`, { cause: error });
  }
}
