import { describe, expect, it } from 'vitest';
import type { Actor } from '../service.js';
import { FakeEngine } from './fake-engine.js';

const actor: Actor = { subject: 'user:alice', roles: ['operator'] };
const SOURCE = `apiVersion: airlock.dev/v1
kind: Workflow
name: demo
inputs:
  n: { type: number, required: true }
  flag: { type: boolean, default: false }
  list: { type: array }
steps:
  - id: one
    uses: noop@v1
  - id: gate
    uses: approval@v1
`;

async function engineWithRun() {
  const engine = new FakeEngine();
  await engine.applyWorkflow(SOURCE, { actor });
  const run = await engine.startRun('demo', { actor, inputs: { n: '2' } });
  return { engine, run };
}

describe('FakeEngine', () => {
  it('reads input strings as their declared types and applies defaults', async () => {
    const engine = new FakeEngine();
    await engine.applyWorkflow(SOURCE, { actor });
    const run = await engine.startRun('demo', { actor, inputs: { n: '2.5', list: '["a"]' } });
    expect(run.inputs).toEqual({ n: 2.5, flag: false, list: ['a'] });
    await expect(engine.startRun('demo', { actor })).rejects.toMatchObject({ code: 'ENGINE_INPUT_INVALID' });
    await expect(engine.startRun('demo', { actor, inputs: { n: 'x', flag: 'yes' } })).rejects.toThrow(
      /input "n" must be a number; input "flag" must be a boolean/,
    );
  });

  it('moves runs through their states and refuses moves out of a finished one', async () => {
    const { engine, run } = await engineWithRun();
    expect(run.status).toBe('queued');
    engine.beginStep(run.id, 'one');
    expect((await engine.getRun(run.id))!.status).toBe('running');
    engine.completeStep(run.id, 'one', { x: 1 });
    engine.requestApproval(run.id, 'gate');
    expect((await engine.getRun(run.id))!.status).toBe('waiting');
    await engine.decide(run.id, {
      decision: 'approve',
      reason: 'ok',
      actor: { subject: 'user:bob', roles: ['approver'] },
    });
    engine.completeRun(run.id);
    const done = (await engine.getRun(run.id))!;
    expect(done.steps.map((s) => s.status)).toEqual(['succeeded', 'succeeded']);
    await expect(engine.cancelRun(run.id, actor)).rejects.toMatchObject({
      code: 'ENGINE_RUN_STATE_CONFLICT',
    });
    expect(() => engine.log(run.id, 'late')).not.toThrow();
  });

  it('follows logs from a sequence number until the run ends', async () => {
    const { engine, run } = await engineWithRun();
    engine.log(run.id, 'a');
    engine.log(run.id, 'b');
    const seen: string[] = [];
    const following = (async () => {
      for await (const line of engine.followLogs(run.id, {
        afterSeq: 1,
        signal: new AbortController().signal,
      }))
        seen.push(line.message);
    })();
    await new Promise((resolve) => setImmediate(resolve));
    engine.log(run.id, 'c');
    engine.failRun(run.id);
    await following;
    expect(seen).toEqual(['b', 'c']);
  });

  it('stops following when the signal aborts', async () => {
    const { engine, run } = await engineWithRun();
    const controller = new AbortController();
    const following = (async () => {
      const lines = [];
      for await (const line of engine.followLogs(run.id, { signal: controller.signal })) lines.push(line);
      return lines;
    })();
    controller.abort();
    expect(await following).toEqual([]);
  });

  it('keeps definitions as immutable versions', async () => {
    const engine = new FakeEngine();
    const first = await engine.applyWorkflow(SOURCE, { actor });
    expect((await engine.applyWorkflow(SOURCE, { actor })).created).toBe(false);
    const second = await engine.applyWorkflow(SOURCE.replace('noop@v1', 'noop@v2'), { actor });
    expect([first.version.version, second.version.version]).toEqual([1, 2]);
    expect((await engine.getWorkflow('demo', 1))!.source).toBe(SOURCE);
  });
});
