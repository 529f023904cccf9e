import { describe, expect, it } from 'vitest';
import type { AppError } from '../../kernel/index.js';
import { compileDag } from './dag.js';
import { parseWorkflow } from './parse-workflow.js';
import { DESIGN_SAMPLE } from './testing/samples.js';
import type { StepDefinition, WorkflowDefinition } from './types.js';

const step = (id: string, extra: Partial<StepDefinition> = {}): StepDefinition => ({
  id,
  uses: 'x@v1',
  with: {},
  needs: [],
  continueOnError: false,
  env: {},
  ...extra,
});

const definitionOf = (steps: StepDefinition[]): WorkflowDefinition => ({
  apiVersion: 'airlock.dev/v1',
  kind: 'Workflow',
  name: 'wf',
  inputs: {},
  on: [{ type: 'manual' }],
  env: {},
  steps,
  outputs: {},
});

describe('compileDag', () => {
  it('orders the design sample by references and needs', () => {
    const dag = compileDag(parseWorkflow(DESIGN_SAMPLE));
    expect(dag.nodes.map((node) => [node.id, node.needs, node.inferredNeeds, node.depth])).toEqual([
      ['tags', [], [], 0],
      ['mirror', ['tags'], ['tags'], 1],
      ['scan', ['mirror'], [], 2],
      ['approve', ['scan'], ['scan'], 3],
    ]);
    expect(dag.roots).toEqual(['tags']);
    expect(dag.order).toEqual(['tags', 'mirror', 'scan', 'approve']);
    expect(dag.dependencies).toEqual({ tags: [], mirror: ['tags'], scan: ['mirror'], approve: ['scan'] });
    expect(dag.byId.get('tags')!.dependents).toEqual(['mirror']);
  });

  it('keeps file order among independent steps, whatever the declaration order of needs', () => {
    const dag = compileDag(
      definitionOf([
        step('report', { needs: ['b', 'a'] }),
        step('b'),
        step('a'),
        step('c', { with: { x: '${{ steps.a.outputs.x }}' } }),
        step('d'),
      ]),
    );
    expect(dag.nodes.map((node) => node.id)).toEqual(['b', 'a', 'report', 'c', 'd']);
    expect(dag.byId.get('report')!.needs).toEqual(['b', 'a']);
    expect(dag.roots).toEqual(['b', 'a', 'd']);
    expect(dag.byId.get('a')!.dependents).toEqual(['report', 'c']);
  });

  it('infers needs from if, forEach, with and env, but not from a step to itself', () => {
    const dag = compileDag(
      definitionOf([
        step('a'),
        step('b'),
        step('c'),
        step('d'),
        step('e', {
          if: 'steps.a.status == "succeeded"',
          forEach: 'steps.b.outputs.items',
          with: { v: '${{ steps.c.outputs.v }}' },
          env: { X: '${{ steps.d.outputs.x }} ${{ steps.e.outputs.old }}' },
        }),
      ]),
    );
    expect(dag.byId.get('e')!.needs).toEqual(['a', 'b', 'c', 'd']);
  });

  it('refuses definitions with cycles or unknown needs (built without parseWorkflow)', () => {
    const error = (() => {
      try {
        compileDag(
          definitionOf([
            step('a', { needs: ['b'] }),
            step('b', { with: { v: '${{ steps.a.outputs }}' } }),
            step('c', { needs: ['z'] }),
          ]),
        );
      } catch (caught) {
        return caught as AppError;
      }
      throw new Error('expected a failure');
    })();
    expect(error.code).toBe('ENGINE_DEFINITION_INVALID');
    expect(error.message).toBe(
      'steps: steps a → b → a form a cycle: remove one of these needs or references\nsteps[2].needs: unknown step "z"',
    );
  });
});
