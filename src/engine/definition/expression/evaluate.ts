import type { ExpressionScope, TemplatedValue } from '../types.js';
import { compileExpression } from './compile.js';
import { ExpressionError } from './expression-error.js';
import { bareExpression } from './template-values.js';
import { parseTemplate, soleExpression, TEMPLATE_OPEN } from './template.js';

/**
 * Evaluation of templated values against a run's scope. A string that is exactly one
 * `${{ … }}` yields the typed value (a list stays a list); mixed text interpolates, with
 * lists and maps as JSON; lists and mappings are evaluated item by item.
 */
export function evaluateTemplate(value: TemplatedValue, scope: ExpressionScope): unknown {
  if (typeof value === 'string') return evaluateString(value, scope);
  if (Array.isArray(value)) return value.map((item) => evaluateTemplate(item, scope));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [key, evaluateTemplate(item, scope)]),
    );
  }
  return value;
}

function evaluateString(text: string, scope: ExpressionScope): unknown {
  if (!text.includes(TEMPLATE_OPEN)) return text;
  const parsed = parseTemplate(text);
  if (!parsed.ok) throw new ExpressionError('ENGINE_EXPRESSION_INVALID', text, parsed.message, parsed.offset);
  const sole = soleExpression(parsed.segments);
  if (sole !== undefined) return compileExpression(sole.text).evaluate(scope);
  return parsed.segments
    .map((segment) =>
      segment.kind === 'text' ? segment.text : interpolate(compileExpression(segment.text).evaluate(scope)),
    )
    .join('');
}

/** How a value reads inside text: strings as they are, null as nothing, lists and maps as JSON. */
export function interpolate(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}

/** Evaluates an expression field (`forEach`, written bare or as one `${{ … }}`). */
export function evaluateExpression(text: string, scope: ExpressionScope): unknown {
  const bare = bareExpression(text);
  if (bare === undefined) {
    throw new ExpressionError(
      'ENGINE_EXPRESSION_INVALID',
      text,
      'write one expression, not text with ${{ }} inside',
    );
  }
  return compileExpression(bare.text).evaluate(scope);
}

/** An `if` condition: true or false, nothing else (`"false"` as a string is an error, not falsy). */
export function evaluateCondition(text: string, scope: ExpressionScope): boolean {
  const value = evaluateExpression(text, scope);
  if (typeof value !== 'boolean') {
    throw new ExpressionError(
      'ENGINE_EXPRESSION_FAILED',
      text,
      `a condition must be true or false, not ${describe(value)}`,
    );
  }
  return value;
}

/** The items of a `forEach`: the expression must yield a list. */
export function evaluateItems(text: string, scope: ExpressionScope): unknown[] {
  const value = evaluateExpression(text, scope);
  if (!Array.isArray(value)) {
    throw new ExpressionError(
      'ENGINE_EXPRESSION_FAILED',
      text,
      `forEach needs a list, not ${describe(value)}`,
    );
  }
  return value;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a map';
  return `a ${typeof value} (${JSON.stringify(value)})`;
}
