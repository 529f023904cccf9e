import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { AppError } from '../../../kernel/index.js';
import type { ExpressionScope, TemplatedValue } from '../types.js';
import { evaluateCondition, evaluateExpression, evaluateItems, evaluateTemplate } from './evaluate.js';

function scopeWith(overrides: Partial<ExpressionScope> = {}): ExpressionScope {
  return {
    inputs: {
      repository: 'docker.io/library/node',
      count: 3,
      ratio: 0.5,
      flags: { fast: true },
      tags: ['22', '24'],
    },
    steps: {
      tags: { outputs: { tags: ['22.1.0', '24.0.1'] }, status: 'succeeded', conclusion: 'success' },
      scan: { outputs: { results: [{ blocking: [] }, { blocking: ['CVE-2024-1'] }] }, status: 'succeeded' },
    },
    env: { REGION: 'eu' },
    secrets: { token: 's3cr3t' },
    run: { id: 'run-1', workflow: 'mirror', version: 2, startedAt: '2025-01-01T00:00:00Z', attempt: 1 },
    trigger: { type: 'manual', event: null },
    ...overrides,
  };
}

const failure = (fn: () => unknown) => {
  try {
    fn();
  } catch (error) {
    return error as AppError;
  }
  throw new Error('expected a failure');
};

describe('evaluateTemplate', () => {
  it('offers the strings extension, strings.quote included', () => {
    const scope = scopeWith({ inputs: { name: 'a"b' } });
    expect(evaluateTemplate('${{ strings.quote(inputs.name) }}', scope)).toBe('"a\\"b"');
    expect(evaluateTemplate('${{ "a,b".split(",") }}', scope)).toEqual(['a', 'b']);
  });

  it('yields the typed value of a string that is exactly one template', () => {
    const scope = scopeWith();
    expect(evaluateTemplate('${{ steps.tags.outputs.tags }}', scope)).toEqual(['22.1.0', '24.0.1']);
    expect(evaluateTemplate('${{ inputs.count + 1 }}', scope)).toBe(4);
    expect(evaluateTemplate('${{ inputs.ratio * 2.0 }}', scope)).toBe(1);
    expect(evaluateTemplate('${{ inputs.flags }}', scope)).toEqual({ fast: true });
    expect(evaluateTemplate('${{ null }}', scope)).toBeNull();
    expect(evaluateTemplate('${{ {"a": [1, 2.5, "x", true]} }}', scope)).toEqual({ a: [1, 2.5, 'x', true] });
  });

  it('interpolates mixed text, with lists and maps as JSON and null as nothing', () => {
    const scope = scopeWith();
    expect(evaluateTemplate('${{ inputs.repository }}:${{ inputs.tags[0] }}', scope)).toBe(
      'docker.io/library/node:22',
    );
    expect(evaluateTemplate('n=${{ inputs.count }} ok=${{ true }} t=${{ inputs.tags }}', scope)).toBe(
      'n=3 ok=true t=["22","24"]',
    );
    expect(evaluateTemplate('[${{ null }}]', scope)).toBe('[]');
    expect(evaluateTemplate(' ${{ inputs.count }}', scope)).toBe(' 3');
  });

  it('evaluates lists and mappings recursively, keeping literals', () => {
    const value: TemplatedValue = {
      source: '${{ inputs.repository }}:${{ item }}',
      tags: ['${{ item }}', 'fixed', 7, null, false],
      nested: { index: '${{ index }}', region: '${{ env.REGION }}' },
    };
    expect(evaluateTemplate(value, scopeWith({ item: '22', index: 0 }))).toEqual({
      source: 'docker.io/library/node:22',
      tags: ['22', 'fixed', 7, null, false],
      nested: { index: 0, region: 'eu' },
    });
  });

  it('supports the CEL features workflows need', () => {
    const scope = scopeWith();
    const cases: [string, unknown][] = [
      ['steps.scan.outputs.results.exists(r, size(r.blocking) > 0)', true],
      ['steps.scan.outputs.results.all(r, size(r.blocking) == 0)', false],
      ['steps.tags.outputs.tags.map(t, t.split(".")[0])', ['22', '24']],
      ['steps.tags.outputs.tags.filter(t, t.startsWith("24"))', ['24.0.1']],
      ['inputs.repository.endsWith("/node") && inputs.repository.contains("library")', true],
      ['inputs.repository.matches("^docker\\\\.io/")', true],
      ['has(inputs.flags.fast) && !has(inputs.flags.slow)', true],
      ['"24" in inputs.tags && "fast" in inputs.flags', true],
      ['size(inputs.tags) == 2 && size("abc") == 3', true],
      ['inputs.count > 2 ? "many" : "few"', 'many'],
      ['inputs.count % 2 == 1 && inputs.count / 2 == 1', true],
      ['[1, 2] + [3]', [1, 2, 3]],
      ['steps.tags.status == "succeeded" && run.attempt == 1', true],
      ['inputs.repository.lowerAscii().replace("docker.io/", "")', 'library/node'],
    ];
    for (const [expression, expected] of cases)
      expect(evaluateExpression(expression, scope), expression).toEqual(expected);
  });

  it('leaves strings without templates unchanged (property)', () => {
    const literal = fc.string().filter((text) => !text.includes('${{'));
    const templated: fc.Arbitrary<TemplatedValue> = fc.letrec<{ value: TemplatedValue }>((tie) => ({
      value: fc.oneof(
        { depthSize: 'small' },
        literal,
        fc.double({ noNaN: true, noDefaultInfinity: true }),
        fc.boolean(),
        fc.constant(null),
        fc.array(tie('value'), { maxLength: 4 }),
        fc.dictionary(fc.string(), tie('value'), { maxKeys: 4 }),
      ),
    })).value;
    fc.assert(
      fc.property(templated, (value) => {
        expect(evaluateTemplate(value, scopeWith())).toEqual(value);
      }),
    );
  });

  it('says which expression failed and why', () => {
    const error = failure(() => evaluateTemplate('${{ steps.tags.outputs.tagz }}', scopeWith()));
    expect(error.code).toBe('ENGINE_EXPRESSION_FAILED');
    expect(error.message).toBe(
      'expression "steps.tags.outputs.tagz" failed at column 19: field not found: tagz',
    );
    const invalid = failure(() => evaluateTemplate('x ${{ inputs.count + }}', scopeWith()));
    expect(invalid.code).toBe('ENGINE_EXPRESSION_INVALID');
    expect(invalid.message).toBe(
      'expression "inputs.count +" is invalid at column 14: the expression ends after +: something is missing after it',
    );
    expect(failure(() => evaluateTemplate('${{ item }}', scopeWith())).message).toBe(
      'expression "item" failed: item is only defined in forEach steps',
    );
    expect(failure(() => evaluateTemplate('a ${{ b', scopeWith())).message).toBe(
      'expression "a ${{ b" is invalid at column 3: ${{ is not closed: add }}',
    );
  });
});

describe('evaluateCondition', () => {
  it('accepts bare CEL and one ${{ }}, and yields booleans only', () => {
    const scope = scopeWith();
    expect(evaluateCondition('inputs.count > 2', scope)).toBe(true);
    expect(evaluateCondition('${{ inputs.count > 5 }}', scope)).toBe(false);
    expect(evaluateCondition('  ${{ true }}  ', scope)).toBe(true);
    expect(failure(() => evaluateCondition('inputs.repository', scope)).message).toBe(
      'expression "inputs.repository" failed: a condition must be true or false, not a string ("docker.io/library/node")',
    );
    expect(failure(() => evaluateCondition('x ${{ true }}', scope)).code).toBe('ENGINE_EXPRESSION_INVALID');
  });
});

describe('evaluateItems', () => {
  it('yields the forEach list, or says what it got instead', () => {
    expect(evaluateItems('${{ steps.tags.outputs.tags }}', scopeWith())).toEqual(['22.1.0', '24.0.1']);
    expect(failure(() => evaluateItems('inputs.flags', scopeWith())).message).toBe(
      'expression "inputs.flags" failed: forEach needs a list, not a map',
    );
  });
});
