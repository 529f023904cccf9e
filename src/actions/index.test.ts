import { expect, it } from 'vitest';
import { z } from 'zod';
import { ActionRegistry } from '../engine/actions/contract.js';
import { builtinActions } from './index.js';

const EXPECTED = [
  'exec@v1',
  'http@v1',
  'notify/webhook@v1',
  'oci/attach@v1',
  'oci/copy@v1',
  'oci/delete@v1',
  'oci/inspect@v1',
  'oci/list-tags@v1',
];

it('registers every built-in action once under name@version', () => {
  const registry = new ActionRegistry();
  for (const action of builtinActions()) registry.register(action);
  expect(
    registry
      .list()
      .map((a) => `${a.name}@${a.version}`)
      .sort(),
  ).toEqual(EXPECTED);
  expect(registry.get('approval@v1')).toBeUndefined();
});

it('publishes input and output schemas as JSON Schema, with strict inputs and documented fields', () => {
  for (const action of builtinActions()) {
    const input = z.toJSONSchema(action.input, { io: 'input' }) as {
      type: string;
      additionalProperties: boolean;
      properties: Record<string, { description?: string }>;
    };
    expect(input.type, action.name).toBe('object');
    expect(input.additionalProperties, action.name).toBe(false);
    expect(action.description.length, action.name).toBeGreaterThan(10);
    expect(() => z.toJSONSchema(action.output, { io: 'output' }), action.name).not.toThrow();
  }
});
