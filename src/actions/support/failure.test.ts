import { expect, it } from 'vitest';
import { z } from 'zod';
import { ActionFailure } from '../../engine/actions/contract.js';
import { createTestContext } from '../../engine/actions/testing/context.js';
import { AppError, OciError } from '../../kernel/index.js';
import { defineAction } from './define-action.js';
import { formatPath, parseActionInput, toActionFailure } from './failure.js';

it('keeps the code, details and retryability of an AppError', () => {
  const cause = new OciError('OCI_TOO_MANY_REQUESTS', 'docker.io asked to wait', {
    registry: 'docker.io',
    retryAfterMs: 60_000,
  });
  const failure = toActionFailure(cause) as ActionFailure;
  expect(failure).toBeInstanceOf(ActionFailure);
  expect(failure.retryable).toBe(true);
  expect(failure.message).toBe('docker.io asked to wait');
  expect(failure.details).toEqual({
    code: 'OCI_TOO_MANY_REQUESTS',
    registry: 'docker.io',
    retryAfterMs: 60_000,
  });
  expect(failure.cause).toBe(cause);
});

it('hands the engine its own reason when the step was cancelled, whatever the action threw', () => {
  const controller = new AbortController();
  const reason = new AppError('ABORTED', 'step timed out after 5m');
  controller.abort(reason);
  expect(toActionFailure(new Error('socket closed'), controller.signal)).toBe(reason);
});

it('turns anything else into a permanent internal failure', () => {
  const failure = toActionFailure(new TypeError('x is undefined')) as ActionFailure;
  expect(failure.retryable).toBe(false);
  expect(failure.details.code).toBe('INTERNAL');
});

it('names each wrong field the way a workflow writes it', () => {
  const schema = z.strictObject({ tags: z.array(z.string()), headers: z.record(z.string(), z.string()) });
  let failure: ActionFailure | undefined;
  try {
    parseActionInput(schema, { tags: ['a', 1], headers: { 'X-A': 2 }, extra: 1 }, 'demo@v1');
  } catch (error) {
    failure = error as ActionFailure;
  }
  expect(failure?.message).toBe(
    'invalid input for demo@v1: tags[1]: Invalid input: expected string, received number; headers.X-A: Invalid input: expected string, received number; Unrecognized key: "extra"',
  );
  expect(failure?.details.code).toBe('ACTION_INPUT_INVALID');
  expect(formatPath(['a', 0, 'b'])).toBe('a[0].b');
});

it('validates before running and never lets queue() throw', async () => {
  let ran = false;
  const action = defineAction({
    name: 'demo',
    version: 'v1',
    description: 'a demonstration action',
    input: z.strictObject({ n: z.int() }),
    output: z.object({}),
    queue: (input) => {
      if (input.n < 0) throw new Error('negative');
      return `q:${input.n}`;
    },
    run: async () => {
      ran = true;
      throw new OciError('OCI_REGISTRY_UNREACHABLE', 'registry down');
    },
  });
  expect(action.queue!({ n: 2 })).toBe('q:2');
  expect(action.queue!({ n: -1 })).toBeUndefined();
  const { context } = createTestContext();
  await expect(action.run({ n: 'x' } as unknown as { n: number }, context)).rejects.toThrow(
    /n: Invalid input/,
  );
  expect(ran).toBe(false);
  const failure = (await action.run({ n: 1 }, context).catch((e: unknown) => e)) as ActionFailure;
  expect(ran).toBe(true);
  expect(failure).toBeInstanceOf(ActionFailure);
  expect(failure.retryable).toBe(true);
});
