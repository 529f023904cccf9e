import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createApiServer } from '../../../src/api/index.js';
import { type RunningEngine, startEngine } from '../../../src/app/engine.js';
import type { Actor, RunSummary } from '../../../src/engine/service.js';
import { silentLogger } from '../../../src/kernel/index.js';
import { createMetrics } from '../../../src/kernel/metrics.js';
import { PostgresAuditLog, PostgresTokenStore } from '../../../src/store/index.js';
import { makeImage, makeLayer, pushFixtureToRegistry } from '../../fixtures/index.js';
import {
  type DockerRegistry,
  type TempDir,
  type TestDatabase,
  type WorkerProcess,
  createTestDatabase,
  makeTempDir,
  requireTools,
  startDockerRegistry,
  startWorker,
} from '../../harness/index.js';

const describeWith = requireTools('docker-registry');
const ADMIN: Actor = { subject: 'user:test', roles: ['admin'] };
const header = (name: string) => `apiVersion: airlock.dev/v1\nkind: Workflow\nname: ${name}\n`;

describeWith('triggers, queues and cancellation with real workers', () => {
  let temp: TempDir;
  let database: TestDatabase;
  let registry: DockerRegistry;
  let control: RunningEngine;
  const workers: WorkerProcess[] = [];
  const QUEUE_PERIOD_S = 3;

  beforeAll(async () => {
    temp = await makeTempDir('triggers');
    database = await createTestDatabase();
    registry = await startDockerRegistry();
    const image = makeImage({ layers: [await makeLayer({ seed: 'trig', size: 256 })] });
    for (let i = 0; i < 6; i++)
      await pushFixtureToRegistry(image, { host: registry.host, repository: `queue/r${i}`, tag: 'v1' });
    const env = {
      HOME: temp.path,
      DATABASE_URL: database.connectionString,
      // Two starts per period on this registry's queue, whichever worker runs them.
      AIRLOCK_QUEUES: JSON.stringify({
        [`registry:${registry.host}`]: {
          concurrency: 2,
          rateLimit: { limit: 2, periodSeconds: QUEUE_PERIOD_S },
        },
      }),
    };
    control = await startEngine({
      dataDir: join(temp.path, 'control'),
      env,
      logger: silentLogger,
      workerId: 'control',
      executeRuns: false,
    });
    for (const id of ['t-a', 't-b']) {
      const worker = await startWorker({
        id,
        databaseUrl: database.connectionString,
        dataDir: join(temp.path, id),
        env: { AIRLOCK_QUEUES: env.AIRLOCK_QUEUES },
      });
      workers.push(worker);
    }
  }, 120_000);

  afterAll(async () => {
    for (const worker of workers) await worker.kill().catch(() => undefined);
    await control?.stop();
    await registry?.stop();
    await database?.drop();
    await temp?.remove();
  });

  async function waitFor<T>(
    what: string,
    get: () => Promise<T | undefined | false>,
    timeoutMs = 60_000,
  ): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const value = await get();
      if (value) return value;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((resolve) => setTimeout(resolve, 150));
    }
  }

  const done = (id: string) => async () => {
    const run = await control.engine.getRun(id);
    return run && ['succeeded', 'failed', 'cancelled'].includes(run.status) ? run : undefined;
  };

  it('fires a schedule once per tick across two workers', async () => {
    await control.engine.applyWorkflow(
      `${header('ticker')}inputs:\n  at: { type: string }\non:\n  schedule: { cron: '*/2 * * * * *', timezone: UTC, inputs: { at: '\${{ trigger.event.at }}' } }\nsteps:\n  - { id: s, uses: exec@v1, with: { command: ['true'] } }\n`,
      { actor: ADMIN },
    );
    await new Promise((resolve) => setTimeout(resolve, 7_000));
    // A new version without the schedule stops it.
    await control.engine.applyWorkflow(
      `${header('ticker')}steps:\n  - { id: s, uses: exec@v1, with: { command: ['true'] } }\n`,
      { actor: ADMIN },
    );
    const runs = await control.engine.listRuns({ workflow: 'ticker', limit: 100 });
    const ticks = runs.map((r) => (r.trigger.event as { at: string }).at);
    expect(runs.length).toBeGreaterThanOrEqual(2);
    expect(runs.length).toBeLessThanOrEqual(5);
    expect(new Set(ticks).size).toBe(ticks.length);
    for (const tick of ticks) expect(new Date(tick).getUTCSeconds() % 2).toBe(0);
    for (const run of runs) expect(run.inputs).toEqual({ at: (run.trigger.event as { at: string }).at });
    // Scheduled runs start at once, not when the supervisor finds them lost.
    await waitFor(
      'the scheduled runs to finish',
      async () =>
        (await control.engine.listRuns({ workflow: 'ticker', limit: 100 })).every(
          (r) => r.status === 'succeeded',
        ),
      10_000,
    );
  });

  it('holds a rate-limited registry queue to its limit across workers', async () => {
    const repositories = Array.from({ length: 6 }, (_, i) => `${registry.host}/queue/r${i}`);
    await control.engine.applyWorkflow(
      `${header('fanout')}inputs:\n  repos: { type: array }\nsteps:\n  - id: tags\n    uses: oci/list-tags@v1\n    forEach: inputs.repos\n    maxParallel: 6\n    with: { repository: '\${{ item }}' }\n`,
      { actor: ADMIN },
    );
    const run = await control.engine.startRun('fanout', { inputs: { repos: repositories }, actor: ADMIN });
    const finished = await waitFor('the fan-out to finish', done(run.id), 90_000);
    expect(finished.status).toBe('succeeded');
    const starts = finished.steps
      .filter((s) => s.index !== undefined && s.startedAt)
      .map((s) => Date.parse(s.startedAt!))
      .sort((a, b) => a - b);
    expect(starts).toHaveLength(6);
    // Never more than `limit` starts within one period.
    for (let i = 2; i < starts.length; i++)
      expect(starts[i]! - starts[i - 2]!).toBeGreaterThanOrEqual(QUEUE_PERIOD_S * 1000 - 250);
  });

  it('starts runs from registry notifications received by the API, once per event', async () => {
    await control.engine.applyWorkflow(
      `${header('on-push')}on:\n  registry: { push: { repository: 'quarantine/**', tag: '3.*' } }\nsteps:\n  - id: s\n    uses: exec@v1\n    with: { command: ['true'] }\noutputs:\n  repo: '\${{ trigger.event.repository }}'\n`,
      { actor: ADMIN },
    );
    const tokens = new PostgresTokenStore(control.database.db);
    const api = createApiServer({
      engine: control.engine,
      tokens,
      audit: new PostgresAuditLog(control.database.db),
      metrics: createMetrics(),
      webhookSecrets: { distribution: 'hook-secret' },
    });
    const notification = {
      events: [
        {
          id: 'evt-1',
          action: 'push',
          target: {
            mediaType: 'application/vnd.oci.image.manifest.v1+json',
            digest: `sha256:${'a'.repeat(64)}`,
            repository: 'quarantine/python',
            tag: '3.12',
          },
        },
        {
          id: 'evt-2',
          action: 'push',
          target: {
            mediaType: 'application/vnd.oci.image.manifest.v1+json',
            digest: `sha256:${'b'.repeat(64)}`,
            repository: 'golden/python',
            tag: '3.12',
          },
        },
        {
          id: 'evt-3',
          action: 'pull',
          target: {
            mediaType: 'application/vnd.oci.image.manifest.v1+json',
            repository: 'quarantine/python',
            tag: '3.12',
          },
        },
      ],
    };
    const post = () =>
      api.inject({
        method: 'POST',
        url: '/api/events/distribution',
        headers: { authorization: 'Bearer hook-secret', 'content-type': 'application/json' },
        payload: notification,
      });
    const first = await post();
    expect(first.statusCode, first.body).toBeLessThan(300);
    const outcome = first.json() as { events: number; duplicates: number; runs: RunSummary[] };
    expect(outcome).toMatchObject({ events: 2, duplicates: 0 });
    expect(outcome.runs).toHaveLength(1);
    const again = (await post()).json() as { duplicates: number; runs: RunSummary[] };
    expect(again).toMatchObject({ duplicates: 2, runs: [] });
    const finished = await waitFor('the triggered run', done(outcome.runs[0]!.id));
    expect(finished.outputs).toEqual({ repo: 'quarantine/python' });
    await api.close();
  });

  it('starts the workflows waiting for another one to complete', async () => {
    await control.engine.applyWorkflow(
      `${header('first')}steps:\n  - { id: s, uses: exec@v1, with: { command: ['true'] } }\n`,
      { actor: ADMIN },
    );
    await control.engine.applyWorkflow(
      `${header('second')}on:\n  workflow: { completed: { workflows: [first], conclusion: success } }\nsteps:\n  - { id: s, uses: exec@v1, with: { command: ['true'] } }\n`,
      { actor: ADMIN },
    );
    const run = await control.engine.startRun('first', { actor: ADMIN });
    await waitFor('the first run', done(run.id));
    const followers = await waitFor('the second run', async () => {
      const runs = await control.engine.listRuns({ workflow: 'second' });
      return runs.length > 0 ? runs : undefined;
    });
    expect(followers[0]!.trigger).toMatchObject({
      type: 'workflow',
      event: { run: run.id, workflow: 'first', status: 'succeeded' },
    });
    const second = await waitFor('the second run to finish', done(followers[0]!.id), 10_000);
    expect(second.status).toBe('succeeded');
    const [entry] = await control.audit.list({ action: 'run.start', target: `run:${followers[0]!.id}` });
    expect(entry).toMatchObject({
      actor: 'system:engine',
      details: { workflow: 'second', trigger: 'workflow' },
    });
  });

  it('cancels a running run, stopping its command', async () => {
    await control.engine.applyWorkflow(
      `${header('slow')}steps:\n  - { id: wait, uses: exec@v1, with: { command: ['sleep', '30'] } }\n  - { id: after, uses: exec@v1, needs: wait, with: { command: ['true'] } }\n`,
      { actor: ADMIN },
    );
    const run = await control.engine.startRun('slow', { actor: ADMIN });
    await waitFor('the step to run', async () =>
      (await control.engine.getRun(run.id))?.steps.some((s) => s.stepId === 'wait' && s.status === 'running'),
    );
    const started = Date.now();
    const cancelled = await control.engine.cancelRun(run.id, ADMIN);
    expect(cancelled.status).toBe('cancelled');
    await expect(control.engine.cancelRun(run.id, ADMIN)).rejects.toMatchObject({
      code: 'ENGINE_RUN_STATE_CONFLICT',
    });
    await waitFor(
      'the step to stop',
      async () =>
        (await control.engine.getRun(run.id))?.steps.find((s) => s.stepId === 'wait')?.status !== 'running',
      15_000,
    );
    expect(Date.now() - started).toBeLessThan(15_000);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const after = (await control.engine.getRun(run.id))?.steps.find((s) => s.stepId === 'after');
    expect(after === undefined || after.status === 'skipped').toBe(true);
    expect((await control.engine.getRun(run.id))?.status).toBe('cancelled');
  });

  it('closes the pending approval of a cancelled run', async () => {
    await control.engine.applyWorkflow(
      `${header('gated')}steps:\n  - { id: gate, uses: approval@v1, with: { message: 'ship it?' } }\n  - { id: after, uses: exec@v1, needs: gate, with: { command: ['true'] } }\n`,
      { actor: ADMIN },
    );
    const run = await control.engine.startRun('gated', { actor: ADMIN });
    await waitFor(
      'the approval request',
      async () => (await control.engine.listApprovals({ runId: run.id, status: 'pending' })).length === 1,
    );
    await control.engine.cancelRun(run.id, ADMIN);
    expect(await control.engine.listApprovals({ runId: run.id })).toEqual([
      expect.objectContaining({ stepId: 'gate', status: 'cancelled', decidedBy: ADMIN.subject }),
    ]);
    await expect(
      control.engine.decide(run.id, { decision: 'approve', reason: 'too late', actor: ADMIN }),
    ).rejects.toMatchObject({ code: 'ENGINE_APPROVAL_NOT_FOUND' });
  });

  it('decides the approvals of forEach items one by one', async () => {
    await control.engine.applyWorkflow(
      `${header('per-tag')}steps:\n  - { id: gate, uses: approval@v1, forEach: "['1.0', '2.0']", maxParallel: 2, with: { message: 'tag \${{ item }}?' } }\n`,
      { actor: ADMIN },
    );
    const run = await control.engine.startRun('per-tag', { actor: ADMIN });
    await waitFor(
      'both approval requests',
      async () => (await control.engine.listApprovals({ runId: run.id, status: 'pending' })).length === 2,
    );
    await expect(
      control.engine.decide(run.id, { decision: 'approve', reason: 'ok', actor: ADMIN }),
    ).rejects.toMatchObject({
      code: 'ENGINE_INPUT_INVALID',
      message: expect.stringContaining('(gate[0], gate[1]): name one as the step, e.g. gate[0]'),
    });
    await control.engine.decide(run.id, {
      stepId: 'gate[1]',
      decision: 'approve',
      reason: '2.0 is fine',
      actor: ADMIN,
    });
    await control.engine.decide(run.id, {
      stepId: 'gate',
      decision: 'approve',
      reason: '1.0 too',
      actor: ADMIN,
    });
    const finished = await waitFor('the run to finish', done(run.id), 15_000);
    expect(finished.status).toBe('succeeded');
    const decided = await control.engine.listApprovals({ runId: run.id });
    expect(decided.map((a) => [a.index, a.status, a.reason]).sort()).toEqual([
      [0, 'approved', '1.0 too'],
      [1, 'approved', '2.0 is fine'],
    ]);
  });
});
