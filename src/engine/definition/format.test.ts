import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatWorkflow } from './format.js';
import { parseWorkflow } from './parse-workflow.js';
import { workflowDefinitions } from './testing/arbitraries.js';
import { DESIGN_SAMPLE } from './testing/samples.js';
import type { WorkflowDefinition } from './types.js';

const withoutPositions = (definition: WorkflowDefinition): WorkflowDefinition => ({
  ...definition,
  steps: definition.steps.map(({ position: _position, ...step }) => step),
});

describe('formatWorkflow', () => {
  it('writes files that parse back to the same definition (property)', () => {
    fc.assert(
      fc.property(workflowDefinitions, (definition) => {
        const source = formatWorkflow(definition);
        expect(withoutPositions(parseWorkflow(source)), source).toEqual(definition);
      }),
      { numRuns: 200 },
    );
  });

  it('round-trips the design sample', () => {
    const definition = withoutPositions(parseWorkflow(DESIGN_SAMPLE));
    expect(withoutPositions(parseWorkflow(formatWorkflow(definition)))).toEqual(definition);
  });
});
