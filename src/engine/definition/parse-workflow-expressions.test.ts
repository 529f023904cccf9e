import { describe, expect, it } from 'vitest';
import { AppError } from '../../kernel/index.js';
import { parseWorkflow } from './parse-workflow.js';
import { problems, workflow } from './testing/problems.js';

describe('parseWorkflow: expressions', () => {
  const steps = (body: string) =>
    workflow(`inputs:\n  repository: { type: string }\nsteps:\n  - id: tags\n    uses: x@v1\n${body}`);

  it('points into the string at the part of the expression that is wrong', () => {
    expect(
      problems(
        steps(
          "  - id: b\n    uses: x@v1\n    with:\n      a: '${{ inputs.repo }}'\n      b: 'x ${{ steps.tags.outputs.tags + }}'\n      c: \"${{ foo.bar }}\"\n      d: '${{ steps.tgas.outputs.x }} ${{ steps.tags.output }}'\n      e: '${{ inputs.repository'\n      f: '${{ (1 + 2 }}'\n      g: '${{ bogus(1) }}'\n",
        ),
      ),
    ).toEqual([
      'mirror.yaml:12:15: steps[1].with.a: inputs.repo is not declared: did you mean inputs.repository?',
      'mirror.yaml:13:41: steps[1].with.b: the expression ends after +: something is missing after it',
      'mirror.yaml:14:15: steps[1].with.c: unknown name "foo": expressions see inputs, steps, env, secrets, run, trigger, item, index',
      'mirror.yaml:15:15: steps[1].with.d: unknown step "tgas": did you mean tags?',
      'mirror.yaml:15:43: steps[1].with.d: steps.tags.output does not exist: did you mean steps.tags.outputs?',
      'mirror.yaml:16:11: steps[1].with.e: ${{ is not closed: add }}',
      'mirror.yaml:17:15: steps[1].with.f: ( is never closed',
      'mirror.yaml:18:15: steps[1].with.g: unknown function bogus()',
    ]);
  });

  it('maps positions into literal block scalars, else falls back to the start of the string', () => {
    expect(
      problems(
        steps('  - id: b\n    uses: x@v1\n    with:\n      a: |\n        x\n        y ${{ inputs.nope }}\n'),
      ),
    ).toEqual(['mirror.yaml:14:15: steps[1].with.a: inputs.nope is not declared: declare it under inputs']);
    expect(
      problems(
        steps('  - id: b\n    uses: x@v1\n    with:\n      a: >\n        x\n        y ${{ inputs.nope }}\n'),
      ),
    ).toEqual(['mirror.yaml:12:10: steps[1].with.a: inputs.nope is not declared: declare it under inputs']);
    expect(
      problems(steps('  - id: b\n    uses: x@v1\n    with:\n      a: "\\t${{ inputs.nope }}"\n')),
    ).toEqual(['mirror.yaml:12:10: steps[1].with.a: inputs.nope is not declared: declare it under inputs']);
  });

  it('allows item and index only in forEach steps, and not in their if or forEach', () => {
    expect(
      problems(
        steps(
          "  - id: a\n    uses: x@v1\n    with: { v: '${{ item }}' }\n  - id: b\n    uses: x@v1\n    forEach: '${{ [item] }}'\n    if: 'index > 0'\n    with: { v: '${{ item }}-${{ index }}' }\n",
        ),
      ),
    ).toEqual([
      'mirror.yaml:11:21: steps[1].with.v: item is only defined in forEach steps: add forEach or remove item',
      'mirror.yaml:14:20: steps[2].forEach: item is not defined in forEach itself: it names the item being run',
      'mirror.yaml:15:10: steps[2].if: index is not defined in if: the condition is evaluated once, before the items fan out; filter the list in forEach instead',
    ]);
  });

  it('rejects self references, computed step names and text around one-expression fields', () => {
    expect(
      problems(
        steps(
          "  - id: b\n    uses: x@v1\n    if: 'run ${{ true }}'\n    with: { a: '${{ steps.b.outputs.x }}', c: '${{ steps[inputs.repository].outputs }}' }\n",
        ),
      ),
    ).toEqual([
      'mirror.yaml:11:9: steps[1].if: if is one expression: write ${{ … }} or the bare expression, not text around it',
      'mirror.yaml:12:21: steps[1].with.a: a step cannot read its own outputs (steps.b)',
      'mirror.yaml:12:52: steps[1].with.c: refer to steps by id (steps.<id>.outputs…): Airlock orders steps by these references',
    ]);
  });

  it('limits what the workflow env, outputs and schedule inputs may read', () => {
    expect(
      problems(
        workflow(
          "on:\n  schedule: { cron: '@hourly', inputs: { n: '${{ inputs.n }}' } }\ninputs:\n  n: { type: number }\nenv:\n  A: '${{ steps.a.outputs.x }}'\n  B: '${{ run.id }}'\nsteps: [{ id: a, uses: x@v1 }]\noutputs:\n  x: '${{ steps.a.outputs.x }}'\n  y: '${{ item }}'\n",
        ),
      ),
    ).toEqual([
      'mirror.yaml:5:50: on.schedule.inputs.n: inputs is not available in schedule inputs: it is evaluated when the schedule fires, before the run exists',
      'mirror.yaml:9:11: env.A: steps is not available in the workflow env: it is evaluated when the run starts, before any step',
      'mirror.yaml:14:11: outputs.y: item is only defined in forEach steps: add forEach or remove item',
    ]);
  });

  it('infers no needs into the definition: needs stays as written', () => {
    const definition = parseWorkflow(
      steps("  - id: b\n    uses: x@v1\n    with: { t: '${{ steps.tags.outputs.tags }}' }\n"),
    );
    expect(definition.steps[1]!.needs).toEqual([]);
  });

  it('reports the problems in details with paths and positions', () => {
    try {
      parseWorkflow(steps("  - id: b\n    uses: x@v1\n    with: { a: '${{ inputs.x }}' }\n"), {
        file: 'w.yaml',
      });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(AppError);
      expect((error as AppError).status).toBe(422);
      expect((error as AppError).details).toEqual({
        file: 'w.yaml',
        problems: [
          {
            path: 'steps[1].with.a',
            message: 'inputs.x is not declared: declare it under inputs',
            position: { line: 11, column: 21 },
          },
        ],
      });
    }
  });
});

describe('parseWorkflow: hostile input', () => {
  it('refuses __proto__ keys instead of dropping them', () => {
    expect(
      problems(
        workflow('steps:\n  - id: a\n    uses: x@v1\n    with:\n      __proto__: { polluted: true }\n'),
      ),
    ).toEqual(['mirror.yaml:8:7: steps[0].with.__proto__: the key __proto__ is not allowed']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('bounds alias expansion and file size', () => {
    const laughs = ['a: &a ["x","x","x","x","x","x","x","x","x","x"]'];
    for (let i = 1; i < 8; i++)
      laughs.push(
        `${'b'.repeat(i)}: &${'b'.repeat(i)} [${Array(10)
          .fill(i === 1 ? '*a' : `*${'b'.repeat(i - 1)}`)
          .join(',')}]`,
      );
    const [message] = problems(laughs.join('\n'));
    expect(message).toMatch(/^mirror\.yaml: the document cannot be read: .*alias/i);
    expect(problems(`# ${'x'.repeat(1024 * 1024)}\n`)).toEqual([
      'mirror.yaml: the file is larger than 1024 KiB',
    ]);
  });
});
