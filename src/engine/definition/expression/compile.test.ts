import { describe, expect, it } from 'vitest';
import { AppError } from '../../../kernel/index.js';
import type { ExpressionScope } from '../types.js';
import { EvaluationBudget, tickActiveBudget, withBudget } from './budget.js';
import { compileExpression } from './compile.js';
import { EXPRESSION_LIMITS } from './limits.js';

function scope(inputs: Record<string, unknown> = {}): ExpressionScope {
  return {
    inputs,
    steps: {},
    env: {},
    secrets: {},
    run: { id: 'r', workflow: 'w', version: 1, startedAt: '2025-01-01T00:00:00Z', attempt: 1 },
    trigger: { type: 'manual', event: null },
  };
}

function failure(fn: () => unknown): AppError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(AppError);
    return error as AppError;
  }
  throw new Error('expected a failure');
}

const evaluate = (text: string, inputs: Record<string, unknown> = {}) =>
  compileExpression(text).evaluate(scope(inputs));

describe('compileExpression: sandbox', () => {
  it('exposes no prototype members of the data', () => {
    for (const text of [
      'inputs.constructor',
      'inputs.__proto__',
      'inputs["__proto__"]',
      'inputs.toString',
      'inputs.list.length',
    ]) {
      const error = failure(() => evaluate(text, { list: [1] }));
      expect(error.code, text).toBe('ENGINE_EXPRESSION_FAILED');
      expect(error.message, text).toMatch(/field not found|no such key/);
    }
    expect(failure(() => evaluate('"x".constructor')).code).toBe('ENGINE_EXPRESSION_FAILED');
  });

  it('binds nothing but the scope: other names do not compile', () => {
    for (const text of ['process.env', 'globalThis', 'require("fs")', 'this', 'Function("x")']) {
      expect(failure(() => compileExpression(text)).code, text).toBe('ENGINE_EXPRESSION_INVALID');
    }
    expect(failure(() => compileExpression('process.env')).message).toBe(
      'expression "process.env" is invalid at column 1: unknown name "process": expressions see inputs, steps, env, secrets, run, trigger, item, index',
    );
  });

  it('passes only data into expressions', () => {
    class Secretive {
      hidden = 'x';
    }
    expect(failure(() => evaluate('inputs.obj', { obj: new Secretive() })).message).toBe(
      'expression "inputs.obj" failed: scope not usable: a Secretive is not data',
    );
    expect(failure(() => evaluate('inputs.fn', { fn: () => 1 })).message).toBe(
      'expression "inputs.fn" failed: scope not usable: a function is not data',
    );
  });

  it('returns maps as plain objects without touching their prototype', () => {
    const result = evaluate('{"__proto__": {"polluted": true}, "a": 1}') as Record<string, unknown>;
    expect(Object.getPrototypeOf(result)).toBe(Object.prototype);
    expect(Object.hasOwn(result, '__proto__')).toBe(true);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('compileExpression: limits', () => {
  it('bounds length, bracket nesting and AST depth before evaluating', () => {
    expect(failure(() => compileExpression('1 + '.repeat(1100) + '1')).message).toContain(
      `the expression is longer than ${EXPRESSION_LIMITS.maxLength} characters`,
    );
    expect(failure(() => compileExpression(`${'('.repeat(40)}1${')'.repeat(40)}`)).message).toContain(
      'brackets are nested more than 32 levels deep',
    );
    expect(failure(() => compileExpression(`inputs${'.x'.repeat(150)}`)).message).toContain(
      'the expression is nested more than 100 levels deep',
    );
  });

  it('stops quadratic loops over large lists within the time bound', () => {
    const big = Array.from({ length: 5_000 }, (_, i) => i);
    for (const text of [
      'inputs.big.map(x, inputs.big.map(y, y)).size()',
      'inputs.big.exists(x, x in inputs.big && false)',
    ]) {
      const started = performance.now();
      const error = failure(() => evaluate(text, { big }));
      expect(performance.now() - started).toBeLessThan(1_000);
      expect(error.code).toBe('ENGINE_EXPRESSION_FAILED');
      expect(error.message).toMatch(
        /failed: stopped: (more than 100000 loop iterations|took longer than 100 ms)/,
      );
    }
  });

  it('evaluates regular expressions in linear time (RE2), so no pattern can hang the engine', () => {
    const started = performance.now();
    expect(evaluate('inputs.s.matches("^(a+)+$")', { s: `${'a'.repeat(5_000)}!` })).toBe(false);
    expect(performance.now() - started).toBeLessThan(500);
  });

  it('refuses a scope too large to convert', () => {
    const huge = new Array<number>(EXPRESSION_LIMITS.maxScopeValues + 1).fill(0);
    expect(failure(() => evaluate('size(inputs.huge)', { huge })).message).toBe(
      `expression "size(inputs.huge)" failed: scope not usable: the data holds more than ${EXPRESSION_LIMITS.maxScopeValues} values`,
    );
  });

  it('caches compiled expressions by text', () => {
    expect(compileExpression('inputs.a + 1')).toBe(compileExpression('inputs.a + 1'));
  });
});

describe('EvaluationBudget', () => {
  it('runs out after the iteration limit or the deadline, and stays spent', () => {
    let now = 0;
    const counted = new EvaluationBudget(3, 1_000, () => now);
    withBudget(counted, () => [1, 2, 3].forEach(() => tickActiveBudget(true)));
    expect(counted.exceeded).toBeUndefined();
    expect(() => withBudget(counted, () => tickActiveBudget(true))).toThrow('more than 3 loop iterations');
    expect(() => withBudget(counted, () => tickActiveBudget(true))).toThrow('more than 3 loop iterations');

    const timed = new EvaluationBudget(100, 50, () => now);
    now = 51;
    expect(() => withBudget(timed, () => tickActiveBudget(true))).toThrow('took longer than 50 ms');
  });

  it('counts nothing outside an evaluation', () => {
    expect(tickActiveBudget('x')).toBe('x');
  });
});
