import {
  celEnv,
  celFunc,
  CelScalar,
  isCelError,
  parse,
  plan,
  type CelError,
  type CelInput,
} from '@bufbuild/cel';
import { strings } from '@bufbuild/cel/ext';
import type { ExpressionScope } from '../types.js';
import { nearest } from '../suggest.js';
import { EvaluationBudget, tickActiveBudget, withBudget } from './budget.js';
import {
  astShape,
  calledFunctions,
  instrumentLoops,
  nameReferences,
  type NameReference,
  type ParsedExpression,
} from './cel-ast.js';
import { fromCelValue, toCelValue, ValueConversionError } from './cel-values.js';
import { ExpressionError } from './expression-error.js';
import { nestingDepth, structuralProblem, tokenize } from './lexer.js';
import { EXPRESSION_LIMITS } from './limits.js';

/**
 * CEL expressions over an `ExpressionScope`, with `@bufbuild/cel` (docs/decisions/0009):
 * the standard library plus the `strings` extension, nothing else. Compiled once per text.
 */

/** The variables of every expression; nothing else is bound. */
export const SCOPE_ROOTS = ['inputs', 'steps', 'env', 'secrets', 'run', 'trigger', 'item', 'index'] as const;
export type ScopeRoot = (typeof SCOPE_ROOTS)[number];

/** CEL type names, which are identifiers too (`type(x) == string`). */
/** `strings.quote(…)`: the strings extension's one namespaced function. */
const FUNCTION_NAMESPACE = 'strings';

const TYPE_NAMES = new Set([
  'int',
  'uint',
  'double',
  'bool',
  'string',
  'bytes',
  'list',
  'map',
  'null_type',
  'type',
]);

/** The budget tick; `@` makes it unspellable in expressions. */
const TICK = '@airlock_tick';

const ENV = celEnv({
  funcs: [
    ...strings,
    celFunc(TICK, [CelScalar.DYN], CelScalar.DYN, (condition) => tickActiveBudget(condition) as never),
  ],
});

export interface CompiledExpression {
  readonly text: string;
  /** Every access of a scope variable, e.g. `{ root: 'steps', path: ['tags', 'outputs', 'tags'] }`. */
  readonly references: readonly NameReference[];
  /** Evaluates against `scope`; the result is JSON data. Throws ExpressionError. */
  evaluate(scope: ExpressionScope): unknown;
}

const CACHE_SIZE = 2_000;
const cache = new Map<string, CompiledExpression>();

/** Compiles a CEL expression (without `${{ }}`); cached by text. Throws ExpressionError. */
export function compileExpression(text: string): CompiledExpression {
  const cached = cache.get(text);
  if (cached !== undefined) {
    cache.delete(text);
    cache.set(text, cached);
    return cached;
  }
  const compiled = compileUncached(text);
  if (cache.size >= CACHE_SIZE) cache.delete(cache.keys().next().value!);
  cache.set(text, compiled);
  return compiled;
}

function compileUncached(text: string): CompiledExpression {
  const invalid = (reason: string, offset?: number) =>
    new ExpressionError('ENGINE_EXPRESSION_INVALID', text, reason, offset);
  if (text.length > EXPRESSION_LIMITS.maxLength) {
    throw invalid(`the expression is longer than ${EXPRESSION_LIMITS.maxLength} characters`);
  }
  checkSyntax(text, invalid);
  const parsed = parseOrThrow(text, invalid);
  const shape = astShape(parsed.expr);
  if (shape.nodes > EXPRESSION_LIMITS.maxNodes)
    throw invalid(`the expression has more than ${EXPRESSION_LIMITS.maxNodes} terms`);
  if (shape.depth > EXPRESSION_LIMITS.maxDepth)
    throw invalid(`the expression is nested more than ${EXPRESSION_LIMITS.maxDepth} levels deep`);
  const references = nameReferences(parsed);
  checkNames(references, invalid);
  checkFunctions(parsed, invalid);
  instrumentLoops(parsed.expr, TICK);
  const program = plan(ENV, parsed);
  const positions = parsed.sourceInfo?.positions ?? {};
  const roots = new Set(references.map((reference) => reference.root as ScopeRoot));
  return {
    text,
    references,
    evaluate(scope) {
      const bindings = bindScope(text, scope, roots, references);
      const budget = new EvaluationBudget();
      const result = withBudget(budget, () => program(bindings));
      if (budget.exceeded !== undefined) {
        throw new ExpressionError('ENGINE_EXPRESSION_FAILED', text, `stopped: ${budget.exceeded}`);
      }
      if (isCelError(result)) throw evaluationError(text, result, positions);
      try {
        return fromCelValue(result);
      } catch (error) {
        throw new ExpressionError('ENGINE_EXPRESSION_FAILED', text, (error as Error).message, undefined, {
          cause: error,
        });
      }
    },
  };
}

type Invalid = (reason: string, offset?: number) => ExpressionError;

function checkSyntax(text: string, invalid: Invalid): void {
  const tokens = tokenize(text);
  if (!Array.isArray(tokens)) throw invalid(tokens.message, tokens.offset);
  if (nestingDepth(tokens) > EXPRESSION_LIMITS.maxNesting) {
    throw invalid(`brackets are nested more than ${EXPRESSION_LIMITS.maxNesting} levels deep`);
  }
  const problem = structuralProblem(tokens);
  if (problem !== undefined) throw invalid(problem.message, problem.offset);
}

function parseOrThrow(text: string, invalid: Invalid): ParsedExpression {
  try {
    return parse(text);
  } catch (error) {
    const syntax = error as {
      location?: { start?: { offset?: number } };
      found?: string | null;
      expected?: unknown[];
    };
    const offset = syntax.location?.start?.offset;
    const found = syntax.found
      ? `unexpected ${JSON.stringify(syntax.found)}`
      : 'unexpected end of the expression';
    throw invalid(`syntax error: ${found}`, offset);
  }
}

function checkNames(references: readonly NameReference[], invalid: Invalid): void {
  for (const reference of references) {
    if (
      (SCOPE_ROOTS as readonly string[]).includes(reference.root) ||
      TYPE_NAMES.has(reference.root) ||
      reference.root === FUNCTION_NAMESPACE
    )
      continue;
    const suggestion = nearest(reference.root, SCOPE_ROOTS);
    const hint =
      suggestion === undefined ? `expressions see ${SCOPE_ROOTS.join(', ')}` : `did you mean ${suggestion}?`;
    throw invalid(`unknown name "${reference.root}": ${hint}`, reference.offset);
  }
}

function checkFunctions(parsed: ParsedExpression, invalid: Invalid): void {
  const positions = parsed.sourceInfo?.positions ?? {};
  for (const call of calledFunctions(parsed.expr)) {
    if (/^[_@!]/.test(call.name) || ENV.funcs.find(call.name) !== undefined) continue;
    if (call.qualified !== undefined && ENV.funcs.find(call.qualified) !== undefined) continue;
    throw invalid(`unknown function ${call.name}()`, positions[String(call.id)]);
  }
}

/** Converts the scope variables the expression reads (and, of `steps`, only the steps it names). */
function bindScope(
  text: string,
  scope: ExpressionScope,
  roots: ReadonlySet<ScopeRoot>,
  references: readonly NameReference[],
): Record<string, CelInput> {
  const bindings: Record<string, CelInput> = {};
  const counter = { values: 0 };
  try {
    for (const root of roots) {
      if (!(SCOPE_ROOTS as readonly string[]).includes(root)) continue;
      if ((root === 'item' || root === 'index') && scope[root] === undefined) {
        throw new ExpressionError(
          'ENGINE_EXPRESSION_FAILED',
          text,
          `${root} is only defined in forEach steps`,
        );
      }
      bindings[root] = toCelValue(
        root === 'steps' ? referencedSteps(scope, references) : scope[root],
        counter,
      );
    }
  } catch (error) {
    if (!(error instanceof ValueConversionError)) throw error;
    throw new ExpressionError(
      'ENGINE_EXPRESSION_FAILED',
      text,
      `scope not usable: ${error.message}`,
      undefined,
      {
        cause: error,
      },
    );
  }
  return bindings;
}

function referencedSteps(scope: ExpressionScope, references: readonly NameReference[]): unknown {
  const ids = new Set<string>();
  for (const reference of references) {
    if (reference.root !== 'steps') continue;
    if (reference.path[0] === undefined) return scope.steps;
    ids.add(reference.path[0]);
  }
  return Object.fromEntries(
    [...ids].filter((id) => Object.hasOwn(scope.steps, id)).map((id) => [id, scope.steps[id]]),
  );
}

function evaluationError(text: string, error: CelError, positions: Record<string, number>): ExpressionError {
  const offset = error.exprId === undefined ? undefined : positions[String(error.exprId)];
  return new ExpressionError('ENGINE_EXPRESSION_FAILED', text, error.message, offset, { cause: error });
}
