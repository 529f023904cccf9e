import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ActionFailure } from '../actions/contract.js';
import { MemoryDurableRuntime } from '../testing/memory-durable.js';
import { MemoryRecorder, memoryEnvironment, testActions } from '../testing/memory-environment.js';
import { executeRun } from './interpreter.js';

const header = 'apiVersion: airlock.dev/v1\nkind: Workflow\nname: test\n';

async function run(source: string, options: Parameters<typeof memoryEnvironment>[1] = {}) {
  const { env, recorder, plan } = memoryEnvironment(header + source, options);
  const runtime = new MemoryDurableRuntime(env);
  const outcome = await executeRun(runtime.context(plan.runId), env, plan.runId);
  return { outcome, recorder, runtime, plan };
}

type TestRun = Parameters<ReturnType<typeof testActions>['register']>[0]['run'];

/** The test actions plus one `v1` action named `name`, with free-form input and output. */
function withAction(name: string, run: TestRun) {
  const actions = testActions();
  actions.register({
    name,
    version: 'v1',
    description: name,
    input: z.record(z.string(), z.unknown()),
    output: z.record(z.string(), z.unknown()),
    run,
  });
  return actions;
}

describe('run interpreter', () => {
  it('runs a chain of steps in order, feeding outputs forward, and evaluates the run outputs', async () => {
    const calls: string[] = [];
    const { outcome, recorder } = await run(
      `inputs:
  name: { type: string, default: world }
steps:
  - id: a
    uses: test/echo@v1
    with: { greeting: 'hello \${{ inputs.name }}' }
  - id: b
    uses: test/echo@v1
    with: { upper: '\${{ steps.a.outputs.greeting }}!' }
outputs:
  said: '\${{ steps.b.outputs.upper }}'
`,
      { actions: testActions(calls) },
    );
    expect(outcome).toEqual({ ok: true, value: { said: 'hello world!' } });
    expect(calls).toEqual(['a#1', 'b#1']);
    expect(recorder.runs.get('run-1')).toMatchObject({
      status: 'succeeded',
      outputs: { said: 'hello world!' },
    });
    expect(recorder.status('b')).toBe('succeeded');
  });

  it('masks secret values in step outputs, in what later steps see and in run outputs', async () => {
    const { outcome, recorder } = await run(`steps:
  - id: leak
    uses: test/echo@v1
    with: { header: 'Bearer \${{ secrets.token }}', nested: ['\${{ secrets.token }}'] }
  - id: next
    uses: test/echo@v1
    with: { seen: '\${{ steps.leak.outputs.header }}' }
outputs:
  direct: '\${{ secrets.token }}'
  passed: '\${{ steps.next.outputs.seen }}'
`);
    expect(outcome).toEqual({ ok: true, value: { direct: '***', passed: 'Bearer ***' } });
    expect(recorder.steps.get('leak')?.outputs).toEqual({ header: 'Bearer ***', nested: ['***'] });
    expect(JSON.stringify([...recorder.steps.values()])).not.toContain('s3cr3t-value');
    expect(JSON.stringify(recorder.runs.get('run-1'))).not.toContain('s3cr3t-value');
  });

  it('masks secret values quoted by a failing expression, in a step as in the run outputs', async () => {
    const { outcome, recorder } = await run(`steps:
  - id: convert
    uses: test/echo@v1
    with: { n: '\${{ int(secrets.token) }}' }
`);
    expect(outcome.ok).toBe(false);
    const failure = JSON.stringify([outcome, ...recorder.steps.values(), recorder.runs.get('run-1')]);
    expect(failure).toContain('ENGINE_EXPRESSION_FAILED');
    expect(failure).not.toContain('s3cr3t-value');
  });

  it('evaluates workflow and step env templates, and hands them to actions', async () => {
    const seen: Record<string, string>[] = [];
    const actions = withAction('test/env', async (_input, context) => {
      seen.push({ ...context.env });
      return { region: context.env.REGION };
    });
    const { outcome } = await run(
      `inputs:
  region: { type: string, default: eu-west-1 }
env:
  REGION: '\${{ inputs.region }}'
  RETRIES: 3
steps:
  - id: each
    uses: test/env@v1
    forEach: "['a', 'b']"
    env: { TAG: 'v-\${{ item }}', SEEN: '\${{ env.REGION }}' }
outputs:
  region: '\${{ env.REGION }}'
`,
      { actions },
    );
    expect(outcome).toEqual({ ok: true, value: { region: 'eu-west-1' } });
    expect(seen.sort((x, y) => x.TAG!.localeCompare(y.TAG!))).toEqual([
      { REGION: 'eu-west-1', RETRIES: '3', TAG: 'v-a', SEEN: 'eu-west-1' },
      { REGION: 'eu-west-1', RETRIES: '3', TAG: 'v-b', SEEN: 'eu-west-1' },
    ]);
  });

  it("keeps an action's error code and waits as long as its Retry-After asks before retrying", async () => {
    let calls = 0;
    const actions = withAction('test/limited', async () => {
      calls++;
      throw new ActionFailure('too many requests', true, { code: 'OCI_RATE_LIMITED', retryAfterMs: 120 });
    });
    const { outcome, runtime } = await run(
      `steps:\n  - { id: pull, uses: test/limited@v1, retry: { attempts: 2, backoff: fixed, initial: 10ms } }\n`,
      { actions },
    );
    expect(calls).toBe(2);
    expect(!outcome.ok && outcome.error).toMatchObject({
      code: 'OCI_RATE_LIMITED',
      message: 'too many requests',
    });
    expect(runtime.sleeps).toEqual([120]);
  });

  it('runs independent steps in parallel as children and joins them', async () => {
    const { outcome, runtime, recorder } = await run(`steps:
  - { id: left, uses: test/echo@v1, with: { v: 1 } }
  - { id: right, uses: test/echo@v1, with: { v: 2 } }
  - id: join
    uses: test/echo@v1
    with: { sum: '\${{ steps.left.outputs.v + steps.right.outputs.v }}' }
outputs:
  sum: '\${{ steps.join.outputs.sum }}'
`);
    expect(outcome).toEqual({ ok: true, value: { sum: 3 } });
    expect(runtime.steps).toEqual(expect.arrayContaining(['run-1/left:left#1', 'run-1/right:right#1']));
    expect(recorder.status('join')).toBe('succeeded');
  });

  it('fans out over forEach items with maxParallel and aggregates their outputs', async () => {
    const { outcome, recorder } = await run(`inputs:
  tags: { type: array, default: ['1.0', '1.1', '1.2'] }
steps:
  - id: copy
    uses: test/echo@v1
    forEach: inputs.tags
    maxParallel: 2
    with: { digests: ['sha256:\${{ item }}'], tag: '\${{ item }}', index: '\${{ index }}' }
outputs:
  digests: '\${{ steps.copy.outputs.digests }}'
  count: '\${{ size(steps.copy.outputs.results) }}'
`);
    expect(outcome).toEqual({
      ok: true,
      value: { digests: ['sha256:1.0', 'sha256:1.1', 'sha256:1.2'], count: 3 },
    });
    expect(recorder.status('copy[2]')).toBe('succeeded');
    expect(recorder.status('copy')).toBe('succeeded');
  });

  it('skips a step whose condition is false', async () => {
    const { outcome, recorder } = await run(`steps:
  - { id: a, uses: test/echo@v1, with: { go: false } }
  - id: b
    uses: test/echo@v1
    if: steps.a.outputs.go
    with: {}
`);
    expect(outcome.ok).toBe(true);
    expect(recorder.status('b')).toBe('skipped');
  });

  it('retries a retryable failure and succeeds', async () => {
    const calls: string[] = [];
    const { outcome } = await run(
      `steps:
  - id: f
    uses: test/flaky@v1
    with: { failUntil: 2, retryable: true }
    retry: { attempts: 3, backoff: exponential, initial: 10ms }
outputs:
  attempts: '\${{ steps.f.outputs.attempts }}'
`,
      { actions: testActions(calls) },
    );
    expect(outcome).toEqual({ ok: true, value: { attempts: 3 } });
    expect(calls).toEqual(['f#1', 'f#2', 'f#3']);
  });

  it('does not retry a permanent failure; dependents are skipped and the run fails', async () => {
    const calls: string[] = [];
    const recorder = new MemoryRecorder();
    const { outcome } = await run(
      `steps:
  - id: f
    uses: test/flaky@v1
    with: { failUntil: 5, retryable: false }
    retry: { attempts: 3, backoff: fixed, initial: 10ms }
  - { id: after, uses: test/echo@v1, needs: f, with: {} }
  - { id: independent, uses: test/echo@v1, with: {} }
`,
      { actions: testActions(calls), recorder },
    );
    expect(outcome.ok).toBe(false);
    expect(calls).toEqual(expect.arrayContaining(['f#1', 'independent#1']));
    expect(calls).not.toContain('f#2');
    expect(recorder.status('after')).toBe('skipped');
    expect(recorder.runs.get('run-1')).toMatchObject({
      status: 'failed',
      error: { code: 'ENGINE_ACTION_FAILED', step: 'f' },
    });
  });

  it('lets a step with continueOnError fail without failing the run', async () => {
    const { outcome, recorder } = await run(`steps:
  - id: f
    uses: test/flaky@v1
    continueOnError: true
    with: { failUntil: 5, retryable: false }
  - { id: after, uses: test/echo@v1, needs: f, with: { saw: '\${{ steps.f.status }}' } }
outputs:
  saw: '\${{ steps.after.outputs.saw }}'
`);
    expect(outcome).toEqual({ ok: true, value: { saw: 'failed' } });
    expect(recorder.status('f')).toBe('failed');
  });

  it('rejects action input that does not match the schema, naming the field', async () => {
    const { outcome } = await run(`steps:
  - id: f
    uses: test/flaky@v1
    with: { failUntil: 'soon', retryable: false }
`);
    expect(outcome.ok).toBe(false);
    expect(!outcome.ok && outcome.error.message).toMatch(
      /step f: invalid input for test\/flaky@v1: failUntil: /,
    );
  });

  it('waits for an approval and continues when it is approved', async () => {
    const { env, recorder, plan } = memoryEnvironment(`${header}steps:
  - id: gate
    uses: approval@v1
    with: { approvers: ['role:approver'], timeoutMs: 5000 }
  - { id: after, uses: test/echo@v1, with: { by: '\${{ steps.gate.outputs.decidedBy }}' } }
outputs:
  by: '\${{ steps.after.outputs.by }}'
`);
    const runtime = new MemoryDurableRuntime(env);
    const running = executeRun(runtime.context(plan.runId), env, plan.runId);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(recorder.approvals).toHaveLength(1);
    expect(recorder.runs.get('run-1')?.status).toBe('waiting');
    runtime.send(recorder.approvals[0]!.waiter, 'approval:gate', {
      decision: 'approve',
      by: 'user:alice',
      reason: 'looks fine',
    });
    expect(await running).toEqual({ ok: true, value: { by: 'user:alice' } });
  });

  it('fails an approval step whose evaluated input is invalid, saying what is wrong', async () => {
    const { outcome, recorder } = await run(`inputs:
  who: { type: string, default: alice }
steps:
  - { id: gate, uses: approval@v1, with: { approvers: ['\${{ inputs.who }}'] } }
`);
    expect(!outcome.ok && outcome.error).toMatchObject({
      code: 'ENGINE_INPUT_INVALID',
      message: expect.stringContaining('approvers.0: an approver is "role:<role>" or "user:<name>"'),
    });
    expect(recorder.approvals).toHaveLength(0);
    expect(recorder.steps.get('gate')?.status).toBe('failed');
  });

  it('fails a denied approval and takes the time-out default when nobody decides', async () => {
    const denied = memoryEnvironment(
      `${header}steps:\n  - { id: gate, uses: approval@v1, with: { timeoutMs: 5000 } }\n`,
    );
    const runtime = new MemoryDurableRuntime(denied.env);
    const running = executeRun(runtime.context('run-1'), denied.env, 'run-1');
    await new Promise((resolve) => setTimeout(resolve, 50));
    runtime.send('run-1', 'approval:gate', { decision: 'deny', by: 'user:bob', reason: 'critical CVE' });
    const outcome = await running;
    expect(!outcome.ok && outcome.error).toMatchObject({
      code: 'ENGINE_APPROVAL_DENIED',
      message: 'denied by user:bob: critical CVE',
    });

    const timedOut = await run(
      `steps:\n  - { id: gate, uses: approval@v1, with: { timeoutMs: 20, onTimeout: approve } }\n`,
    );
    expect(timedOut.outcome.ok).toBe(true);
    expect(timedOut.recorder.steps.get('gate')?.outputs).toMatchObject({ approved: true, timedOut: true });
  });
});
