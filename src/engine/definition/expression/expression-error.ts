import { AppError } from '../../../kernel/index.js';

const MAX_QUOTED = 120;

/**
 * An expression that does not compile (`ENGINE_EXPRESSION_INVALID`) or whose evaluation
 * failed (`ENGINE_EXPRESSION_FAILED`): which expression, why, and where in its text.
 */
export class ExpressionError extends AppError {
  constructor(
    code: 'ENGINE_EXPRESSION_INVALID' | 'ENGINE_EXPRESSION_FAILED',
    readonly expression: string,
    /** What is wrong, without the expression (for messages that say where it is otherwise). */
    readonly reason: string,
    /** Offset in the expression text, when known. */
    readonly offset?: number,
    options: { cause?: unknown } = {},
  ) {
    const quoted = expression.length > MAX_QUOTED ? `${expression.slice(0, MAX_QUOTED)}…` : expression;
    const where = offset === undefined ? '' : ` at column ${offset + 1}`;
    const verb = code === 'ENGINE_EXPRESSION_INVALID' ? 'is invalid' : 'failed';
    super(code, `expression ${JSON.stringify(quoted)} ${verb}${where}: ${reason}`, {
      cause: options.cause,
      details: { expression: quoted, reason, ...(offset === undefined ? {} : { offset }) },
    });
  }
}
