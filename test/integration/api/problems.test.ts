import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiFixture, MIRROR_WORKFLOW, bearer, startApiFixture } from './support.js';

let f: ApiFixture;
beforeAll(async () => {
  f = await startApiFixture({ bodyLimit: 64 * 1024 });
  await f.engine.applyWorkflow(MIRROR_WORKFLOW, { actor: { subject: 'user:admin', roles: ['admin'] } });
});
afterAll(async () => f?.close());

type Injected = Awaited<ReturnType<ApiFixture['app']['inject']>>;

/** Every problem: RFC 9457 members, a type per code, the request id as instance, no stack. */
function expectProblem(response: Injected, status: number, code: string) {
  expect(response.statusCode, response.body).toBe(status);
  expect(response.headers['content-type']).toBe('application/problem+json; charset=utf-8');
  const problem = response.json();
  expect(problem).toMatchObject({
    type: `https://airlock.dev/problems/${code.toLowerCase().replaceAll('_', '-')}`,
    title: expect.any(String),
    status,
    detail: expect.any(String),
    instance: response.headers['x-request-id'],
    code,
  });
  expect(response.body).not.toMatch(/\n\s+at /);
  return problem as {
    detail: string;
    errors?: { path: string; message: string; line?: number; column?: number }[];
  };
}

const operator = () => bearer(f.secrets.operator);

describe('problem details', () => {
  it('lists each invalid field of a request', async () => {
    const response = await f.app.inject({
      method: 'POST',
      url: '/api/tokens',
      headers: bearer(f.secrets.admin),
      payload: { subject: 'alice', roles: ['root'], expiresAt: 'tomorrow' },
    });
    const problem = expectProblem(response, 400, 'API_REQUEST_INVALID');
    expect(problem.errors?.map((e) => e.path).sort()).toEqual([
      'body.expiresAt',
      'body.roles.0',
      'body.subject',
    ]);
    expect(problem.errors?.find((e) => e.path === 'body.subject')?.message).toContain('user:alice');
    expect(problem.detail).toMatch(/^invalid request: body\./);
  });

  it('gives line and column for each problem of a workflow file', async () => {
    const source =
      'apiVersion: airlock.dev/v1\nkind: Workflow\nname: Bad_Name\nsteps:\n  - id: a\n    uses: nope\n';
    const response = await f.app.inject({
      method: 'POST',
      url: '/api/workflows?file=bad.yaml',
      headers: { ...operator(), 'content-type': 'application/yaml' },
      payload: source,
    });
    const problem = expectProblem(response, 422, 'ENGINE_DEFINITION_INVALID');
    expect(problem.errors).toEqual([
      { file: 'bad.yaml', path: 'name', message: expect.any(String), line: 3, column: 7 },
      {
        file: 'bad.yaml',
        path: 'steps[0].uses',
        message: expect.stringContaining('oci/copy@v1'),
        line: 6,
        column: 11,
      },
    ]);
    expect(problem.detail).toContain('bad.yaml:6:11: steps[0].uses:');
  });

  it('reports YAML syntax errors with their position', async () => {
    const response = await f.app.inject({
      method: 'POST',
      url: '/api/workflows',
      headers: operator(),
      payload: { source: 'name: [unclosed\n', file: 'broken.yaml' },
    });
    const problem = expectProblem(response, 422, 'ENGINE_DEFINITION_INVALID');
    expect(problem.errors?.[0]).toMatchObject({ line: expect.any(Number), column: expect.any(Number) });
  });

  it('names unknown runs, workflows and routes (404)', async () => {
    const run = await f.app.inject({ method: 'GET', url: '/api/runs/r-404', headers: operator() });
    expect(expectProblem(run, 404, 'ENGINE_RUN_NOT_FOUND').detail).toBe('run r-404 does not exist');
    const workflow = await f.app.inject({
      method: 'GET',
      url: '/api/workflows/mirror/versions/7',
      headers: operator(),
    });
    expect(expectProblem(workflow, 404, 'ENGINE_WORKFLOW_NOT_FOUND').detail).toContain(
      'mirror has no version 7',
    );
    const route = await f.app.inject({ method: 'GET', url: '/api/nothing?x=1', headers: operator() });
    expect(expectProblem(route, 404, 'API_NOT_FOUND').detail).toBe(
      'no route GET /api/nothing: see /api/openapi.json',
    );
  });

  it('refuses to cancel a finished run (409)', async () => {
    const run = await f.engine.startRun('mirror', { actor: { subject: 'user:x', roles: ['operator'] } });
    f.engine.completeRun(run.id);
    const response = await f.app.inject({
      method: 'POST',
      url: `/api/runs/${run.id}/cancel`,
      headers: operator(),
    });
    expect(expectProblem(response, 409, 'ENGINE_RUN_STATE_CONFLICT').detail).toContain(
      'already finished (succeeded)',
    );
  });

  it('explains inputs the workflow does not take (422)', async () => {
    const response = await f.app.inject({
      method: 'POST',
      url: '/api/runs',
      headers: operator(),
      payload: { workflow: 'mirror', inputs: { colour: 'red', count: 'many' } },
    });
    const problem = expectProblem(response, 422, 'ENGINE_INPUT_INVALID');
    expect(problem.detail).toContain('unknown input "colour" (declared: repository, count)');
    expect(problem.detail).toContain('input "count" must be a number');
  });

  it('refuses bodies that are too large, of the wrong type, or not JSON', async () => {
    const large = await f.app.inject({
      method: 'POST',
      url: '/api/workflows',
      headers: { ...operator(), 'content-type': 'application/yaml' },
      payload: `# ${'x'.repeat(70 * 1024)}\n`,
    });
    expect(expectProblem(large, 413, 'API_PAYLOAD_TOO_LARGE').detail).toContain('65536 bytes');
    const xml = await f.app.inject({
      method: 'POST',
      url: '/api/runs',
      headers: { ...operator(), 'content-type': 'application/xml' },
      payload: '<run/>',
    });
    expectProblem(xml, 415, 'API_MEDIA_TYPE_UNSUPPORTED');
    const broken = await f.app.inject({
      method: 'POST',
      url: '/api/runs',
      headers: { ...operator(), 'content-type': 'application/json' },
      payload: '{"workflow": ',
    });
    expectProblem(broken, 400, 'API_REQUEST_INVALID');
  });

  it('hides the cause of an internal error and logs it under the request id', async () => {
    const original = f.engine.listWorkflows.bind(f.engine);
    f.engine.listWorkflows = async () => {
      throw new Error('connection to postgres://airlock:hunter2@db failed');
    };
    try {
      const response = await f.app.inject({ method: 'GET', url: '/api/workflows', headers: operator() });
      const problem = expectProblem(response, 500, 'INTERNAL');
      expect(problem.detail).toContain(response.headers['x-request-id'] as string);
      expect(response.body).not.toContain('hunter2');
      expect(response.body).not.toContain('postgres');
    } finally {
      f.engine.listWorkflows = original;
    }
  });

  it('keeps a well-formed client request id and replaces others', async () => {
    const kept = await f.app.inject({
      method: 'GET',
      url: '/api/nothing',
      headers: { 'x-request-id': 'trace-42' },
    });
    expect(kept.headers['x-request-id']).toBe('trace-42');
    expect(kept.json().instance).toBe('trace-42');
    const replaced = await f.app.inject({
      method: 'GET',
      url: '/api/nothing',
      headers: { 'x-request-id': 'a b\u00e9' },
    });
    expect(replaced.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('answers 503 from readyz when the database does not', async () => {
    const down = await startApiFixture({
      readiness: async () => {
        throw new Error('ECONNREFUSED');
      },
    });
    try {
      const response = await down.app.inject({ method: 'GET', url: '/api/readyz' });
      expectProblem(response, 503, 'API_NOT_READY');
      expect(response.headers['retry-after']).toBe('5');
      expect((await down.app.inject({ method: 'GET', url: '/api/healthz' })).statusCode).toBe(200);
    } finally {
      await down.close();
    }
  });
});
