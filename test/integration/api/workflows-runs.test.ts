import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiFixture, MIRROR_WORKFLOW, bearer, startApiFixture } from './support.js';

let f: ApiFixture;
beforeAll(async () => {
  f = await startApiFixture();
});
afterAll(async () => f?.close());

const as = (role: 'viewer' | 'operator' | 'admin') => bearer(f.secrets[role]);

async function applyYaml(source: string) {
  return f.app.inject({
    method: 'POST',
    url: '/api/workflows?file=mirror.yaml',
    headers: { ...as('operator'), 'content-type': 'application/yaml' },
    payload: source,
  });
}

async function lastAudit(action: string) {
  const [entry] = await f.audit.list({ action, limit: 1 });
  return entry;
}

describe('workflows', () => {
  it('stores a version per change and none for the same text', async () => {
    const first = await applyYaml(MIRROR_WORKFLOW);
    expect(first.statusCode).toBe(201);
    expect(first.headers.location).toBe('/api/workflows/mirror/versions/1');
    expect(first.json()).toMatchObject({
      created: true,
      version: { name: 'mirror', version: 1, createdBy: 'user:operator' },
    });
    const again = await applyYaml(MIRROR_WORKFLOW);
    expect(again.statusCode).toBe(200);
    expect(again.json()).toMatchObject({ created: false, version: { version: 1 } });
    const json = await f.app.inject({
      method: 'POST',
      url: '/api/workflows',
      headers: as('operator'),
      payload: { source: MIRROR_WORKFLOW.replace('Mirror a repository', 'Mirror it'), file: 'mirror.yaml' },
    });
    expect(json.statusCode).toBe(201);
    expect(json.json().version.version).toBe(2);
    expect(await lastAudit('workflow.apply')).toMatchObject({
      actor: 'user:operator',
      target: 'workflow:mirror@2',
      details: { file: 'mirror.yaml', digest: json.json().version.digest },
    });
    expect(await f.audit.list({ action: 'workflow.apply' })).toHaveLength(2);
  });

  it('lists workflows, versions, and gets latest or one version', async () => {
    const list = await f.app.inject({ method: 'GET', url: '/api/workflows', headers: as('viewer') });
    expect(list.json()).toEqual({
      workflows: [
        expect.objectContaining({
          name: 'mirror',
          latestVersion: 2,
          description: 'Mirror it',
          triggers: ['manual', 'registry'],
        }),
      ],
    });
    const versions = await f.app.inject({
      method: 'GET',
      url: '/api/workflows/mirror/versions',
      headers: as('viewer'),
    });
    expect(versions.json().versions.map((v: { version: number }) => v.version)).toEqual([1, 2]);
    const latest = await f.app.inject({ method: 'GET', url: '/api/workflows/mirror', headers: as('viewer') });
    expect(latest.json()).toMatchObject({
      version: 2,
      source: expect.stringContaining('Mirror it'),
      definition: { name: 'mirror' },
    });
    const first = await f.app.inject({
      method: 'GET',
      url: '/api/workflows/mirror/versions/1',
      headers: as('viewer'),
    });
    expect(first.json().source).toBe(MIRROR_WORKFLOW);
    const missing = await f.app.inject({
      method: 'GET',
      url: '/api/workflows/nope/versions',
      headers: as('viewer'),
    });
    expect(missing.statusCode).toBe(404);
  });
});

describe('runs', () => {
  it('starts a run with typed inputs and records who started it', async () => {
    const response = await f.app.inject({
      method: 'POST',
      url: '/api/runs',
      headers: as('operator'),
      payload: { workflow: 'mirror', inputs: { count: '3' } },
    });
    expect(response.statusCode).toBe(201);
    const run = response.json();
    expect(run).toMatchObject({
      workflow: 'mirror',
      version: 2,
      status: 'queued',
      inputs: { repository: 'docker.io/library/node', count: 3 },
      startedBy: 'user:operator',
      trigger: { type: 'manual' },
    });
    expect(response.headers.location).toBe(`/api/runs/${run.id}`);
    expect(await lastAudit('run.start')).toMatchObject({
      actor: 'user:operator',
      target: `run:${run.id}`,
      details: { workflow: 'mirror', version: 2, trigger: 'manual', inputs: { count: 3 } },
    });
  });

  it('returns the first run for a repeated idempotency key', async () => {
    const start = () =>
      f.app.inject({
        method: 'POST',
        url: '/api/runs',
        headers: { ...as('operator'), 'idempotency-key': 'ci-build-77' },
        payload: { workflow: 'mirror', version: 1 },
      });
    const [a, b] = [await start(), await start()];
    expect(b.json().id).toBe(a.json().id);
    expect(a.json().version).toBe(1);
  });

  it('lists runs newest first, filters them and pages through them', async () => {
    const started: string[] = [];
    for (let i = 0; i < 5; i++)
      started.push((await f.engine.startRun('mirror', { actor: { subject: 'robot:t', roles: [] } })).id);
    f.engine.completeRun(started[1]!);
    const page = await f.app.inject({ method: 'GET', url: '/api/runs?limit=3', headers: as('viewer') });
    expect(page.json().runs.map((r: { id: string }) => r.id)).toEqual(started.slice(-3).reverse());
    const next = page.json().next as string;
    expect(next).toBe(started[2]);
    const rest = await f.app.inject({
      method: 'GET',
      url: `/api/runs?limit=3&before=${next}`,
      headers: as('viewer'),
    });
    expect(
      rest
        .json()
        .runs.map((r: { id: string }) => r.id)
        .slice(0, 2),
    ).toEqual([started[1], started[0]]);
    const succeeded = await f.app.inject({
      method: 'GET',
      url: '/api/runs?status=succeeded&workflow=mirror',
      headers: as('viewer'),
    });
    expect(succeeded.json()).toEqual({
      runs: [expect.objectContaining({ id: started[1], status: 'succeeded' })],
      next: null,
    });
    const bad = await f.app.inject({
      method: 'GET',
      url: '/api/runs?status=done&limit=0',
      headers: as('viewer'),
    });
    expect(
      bad
        .json()
        .errors.map((e: { path: string }) => e.path)
        .sort(),
    ).toEqual(['query.limit', 'query.status']);
  });

  it('shows a run with its steps, outputs and logs', async () => {
    const run = await f.engine.startRun('mirror', { actor: { subject: 'robot:t', roles: [] } });
    f.engine.beginStep(run.id, 'tags');
    f.engine.log(run.id, 'listing tags', { stepId: 'tags' });
    f.engine.log(run.id, 'found 3', { stepId: 'tags', fields: { count: 3 } });
    f.engine.completeStep(run.id, 'tags', { tags: ['1', '2', '3'] });
    f.engine.log(run.id, 'done');
    f.engine.completeRun(run.id, { copied: 3 });
    const detail = await f.app.inject({ method: 'GET', url: `/api/runs/${run.id}`, headers: as('viewer') });
    expect(detail.json()).toMatchObject({
      status: 'succeeded',
      outputs: { copied: 3 },
      steps: [
        { stepId: 'tags', status: 'succeeded', outputs: { tags: ['1', '2', '3'] } },
        { stepId: 'approve', status: 'succeeded' },
        { stepId: 'copy', status: 'succeeded' },
      ],
    });
    const logs = await f.app.inject({
      method: 'GET',
      url: `/api/runs/${run.id}/logs?step=tags&after=1`,
      headers: as('viewer'),
    });
    expect(logs.json().lines).toEqual([
      expect.objectContaining({ seq: 2, message: 'found 3', fields: { count: 3 } }),
    ]);
  });

  it('cancels and retries runs, and audits both', async () => {
    const run = await f.engine.startRun('mirror', {
      actor: { subject: 'robot:t', roles: [] },
      inputs: { count: 9 },
    });
    f.engine.beginStep(run.id, 'tags');
    const cancel = await f.app.inject({
      method: 'POST',
      url: `/api/runs/${run.id}/cancel`,
      headers: as('operator'),
    });
    expect(cancel.json()).toMatchObject({ id: run.id, status: 'cancelled' });
    expect((await f.engine.getRun(run.id))!.steps[0]!.status).toBe('cancelled');
    expect(await lastAudit('run.cancel')).toMatchObject({ actor: 'user:operator', target: `run:${run.id}` });
    const retry = await f.app.inject({
      method: 'POST',
      url: `/api/runs/${run.id}/retry`,
      headers: as('admin'),
    });
    expect(retry.statusCode).toBe(201);
    expect(retry.json()).toMatchObject({
      workflow: 'mirror',
      status: 'queued',
      inputs: { count: 9 },
      startedBy: 'user:admin',
    });
    expect(retry.json().id).not.toBe(run.id);
    expect(await lastAudit('run.start')).toMatchObject({ details: { trigger: 'retry', retryOf: run.id } });
  });
});
