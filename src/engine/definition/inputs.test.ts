import { describe, expect, it } from 'vitest';
import { AppError } from '../../kernel/index.js';
import { resolveInputs } from './inputs.js';
import type { InputDefinition, WorkflowDefinition } from './types.js';

const workflow = (inputs: Record<string, InputDefinition>): WorkflowDefinition => ({
  apiVersion: 'airlock.dev/v1',
  kind: 'Workflow',
  name: 'mirror',
  inputs,
  on: [{ type: 'manual' }],
  env: {},
  steps: [],
  outputs: {},
});

const definition = workflow({
  repository: { type: 'string', required: true },
  latest: { type: 'number', default: 2 },
  referrers: { type: 'boolean', default: true },
  platforms: { type: 'array', default: ['linux/amd64'] },
  labels: { type: 'object' },
  mode: { type: 'string', enum: ['copy', 'sync'], default: 'copy' },
});

function problems(provided: Record<string, unknown>): string[] {
  try {
    resolveInputs(definition, provided);
  } catch (error) {
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe('ENGINE_INPUT_INVALID');
    return (error as AppError).message.split('\n');
  }
  throw new Error('expected a failure');
}

describe('resolveInputs', () => {
  it('applies defaults and leaves optional inputs without one absent', () => {
    const resolved = resolveInputs(definition, { repository: 'docker.io/library/node' });
    expect(resolved).toEqual({
      repository: 'docker.io/library/node',
      latest: 2,
      referrers: true,
      platforms: ['linux/amd64'],
      mode: 'copy',
    });
    (resolved.platforms as string[]).push('linux/arm64');
    expect(definition.inputs.platforms!.default).toEqual(['linux/amd64']);
  });

  it('coerces text from the command line to the declared type', () => {
    expect(
      resolveInputs(definition, {
        repository: 'x',
        latest: '3',
        referrers: 'false',
        platforms: '["linux/arm64"]',
        labels: '{"team": "platform"}',
        mode: 'sync',
      }),
    ).toEqual({
      repository: 'x',
      latest: 3,
      referrers: false,
      platforms: ['linux/arm64'],
      labels: { team: 'platform' },
      mode: 'sync',
    });
    expect(resolveInputs(definition, { repository: 'x', latest: 4.5 }).latest).toBe(4.5);
  });

  it('reports every problem, naming the input', () => {
    expect(
      problems({
        latest: 'three',
        referrers: 'yes',
        platforms: 'linux/arm64',
        labels: [1],
        mode: 'mirror',
        lates: 1,
      }),
    ).toEqual([
      'unknown input lates: did you mean latest?',
      'input repository is required',
      'input latest is a number: expected a number, e.g. 3, got "three"',
      'input referrers is a boolean: expected true or false, got "yes"',
      'input platforms is an array: expected a JSON list, e.g. ["a", "b"], got "linux/arm64"',
      'input labels is an object: expected a JSON object, e.g. {"key": "value"}, got a list',
      'input mode: "mirror" is not one of "copy", "sync"',
    ]);
  });

  it('says when a workflow has no inputs at all', () => {
    expect(() => resolveInputs(workflow({}), { x: '1' })).toThrow('unknown input x: mirror has no inputs');
  });
});
