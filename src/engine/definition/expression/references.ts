import type { TemplatedValue } from '../types.js';
import type { NameReference } from './cel-ast.js';
import { compileExpression } from './compile.js';
import { ExpressionError } from './expression-error.js';
import { bareExpression, templateExpressions } from './template-values.js';

/**
 * What templates read, found statically: the steps they need (to infer `needs`) and the
 * secrets they use (so the engine can redact those values from logs and outputs).
 */

/** Name references of every expression in `value`'s templates; expressions that do not compile are skipped. */
export function templateReferences(value: TemplatedValue): NameReference[] {
  return templateExpressions(value).expressions.flatMap((expression) => referencesOf(expression.text));
}

/** Name references of an expression field (`if`, `forEach`), bare or as one `${{ … }}`. */
export function expressionReferences(text: string): NameReference[] {
  const bare = bareExpression(text);
  return bare === undefined ? [] : referencesOf(bare.text);
}

function referencesOf(text: string): NameReference[] {
  try {
    return [...compileExpression(text).references];
  } catch (error) {
    if (error instanceof ExpressionError) return [];
    throw error;
  }
}

/** Ids of the steps whose outputs or status `value`'s templates read, in first-use order. */
export function referencedSteps(value: TemplatedValue): string[] {
  return stepIdsOf(templateReferences(value));
}

export function stepIdsOf(references: readonly NameReference[]): string[] {
  const ids = references
    .filter((ref) => ref.root === 'steps' && ref.path[0] !== undefined)
    .map((ref) => ref.path[0]!);
  return [...new Set(ids)];
}

export interface SecretReferences {
  /** Secrets read by name (`secrets.token`, `secrets["token"]`). */
  names: string[];
  /** Some expression reads `secrets` as a whole or by a computed key: treat every secret as used. */
  all: boolean;
}

export function secretsReferenced(value: TemplatedValue): SecretReferences {
  const references = templateReferences(value).filter((ref) => ref.root === 'secrets');
  const all = references.some((ref) => ref.path[0] === undefined);
  return { names: [...new Set(references.flatMap((ref) => ref.path.slice(0, 1)))], all };
}

/** The secret values `value`'s templates may put into their result: what the engine redacts. */
export function secretValuesUsed(value: TemplatedValue, secrets: Readonly<Record<string, string>>): string[] {
  const used = secretsReferenced(value);
  const names = used.all ? Object.keys(secrets) : used.names.filter((name) => Object.hasOwn(secrets, name));
  return [...new Set(names.map((name) => secrets[name]!).filter((secret) => secret !== ''))];
}
