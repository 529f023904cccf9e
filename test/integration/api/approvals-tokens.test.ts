import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isApiTokenFormat } from '../../../src/store/index.js';
import { type ApiFixture, MIRROR_WORKFLOW, bearer, startApiFixture } from './support.js';

const WEBHOOK_SECRET = 'distribution-shared-secret';
let f: ApiFixture;
beforeAll(async () => {
  f = await startApiFixture({ webhookSecrets: { distribution: WEBHOOK_SECRET } });
  await f.engine.applyWorkflow(MIRROR_WORKFLOW, { actor: { subject: 'user:admin', roles: ['admin'] } });
});
afterAll(async () => f?.close());

async function waitingRun(approvers?: string[]) {
  const run = await f.engine.startRun('mirror', { actor: { subject: 'user:operator', roles: ['operator'] } });
  f.engine.beginStep(run.id, 'tags');
  f.engine.completeStep(run.id, 'tags');
  f.engine.requestApproval(run.id, 'approve', { approvers, message: 'CVE-2024-1 is high' });
  return run.id;
}

describe('approvals', () => {
  it('lists pending approvals and records an approval with its reason', async () => {
    const runId = await waitingRun();
    const pending = await f.app.inject({
      method: 'GET',
      url: '/api/approvals',
      headers: bearer(f.secrets.viewer),
    });
    expect(pending.json().approvals).toContainEqual(
      expect.objectContaining({ runId, stepId: 'approve', status: 'pending', approvers: ['role:approver'] }),
    );
    const approve = await f.app.inject({
      method: 'POST',
      url: `/api/runs/${runId}/approve`,
      headers: bearer(f.secrets.approver),
      payload: { reason: 'exception SEC-12 filed' },
    });
    expect(approve.statusCode).toBe(200);
    expect(approve.json()).toMatchObject({
      status: 'approved',
      decidedBy: 'user:approver',
      reason: 'exception SEC-12 filed',
    });
    expect((await f.engine.getRun(runId))!.status).toBe('running');
    const [entry] = await f.audit.list({ action: 'approval.approve', limit: 1 });
    expect(entry).toMatchObject({
      actor: 'user:approver',
      target: `run:${runId}`,
      details: { step: 'approve', reason: 'exception SEC-12 filed' },
    });
  });

  it('denies with a reason, failing the run', async () => {
    const runId = await waitingRun();
    const deny = await f.app.inject({
      method: 'POST',
      url: `/api/runs/${runId}/deny`,
      headers: bearer(f.secrets.admin),
      payload: { step: 'approve', reason: 'not without a fix' },
    });
    expect(deny.json()).toMatchObject({ status: 'denied', decidedBy: 'user:admin' });
    expect(await f.engine.getRun(runId)).toMatchObject({
      status: 'failed',
      error: { code: 'ENGINE_APPROVAL_DENIED', step: 'approve' },
    });
    expect((await f.audit.list({ action: 'approval.deny' }))[0]?.details).toEqual({
      step: 'approve',
      reason: 'not without a fix',
    });
  });

  it('requires a reason, and an approver the approval names', async () => {
    const runId = await waitingRun(['user:carol']);
    const blank = await f.app.inject({
      method: 'POST',
      url: `/api/runs/${runId}/approve`,
      headers: bearer(f.secrets.approver),
      payload: { reason: '   ' },
    });
    expect(blank.statusCode).toBe(400);
    expect(blank.json().errors).toEqual([
      { path: 'body.reason', message: 'a reason is required: say why, it is recorded' },
    ]);
    const outsider = await f.app.inject({
      method: 'POST',
      url: `/api/runs/${runId}/approve`,
      headers: bearer(f.secrets.approver),
      payload: { reason: 'looks fine' },
    });
    expect(outsider.statusCode).toBe(403);
    expect(outsider.json()).toMatchObject({ code: 'ENGINE_APPROVAL_NOT_ALLOWED' });
    const nothing = await f.app.inject({
      method: 'POST',
      url: `/api/runs/${runId}/deny`,
      headers: bearer(f.secrets.admin),
      payload: { step: 'copy', reason: 'x' },
    });
    expect(nothing.statusCode).toBe(404);
    expect(nothing.json().detail).toContain('no pending approval at step copy');
  });
});

describe('registry events', () => {
  const notification = (id: string) => ({
    events: [
      {
        id,
        action: 'push',
        target: {
          repository: 'library/node',
          tag: '22',
          digest: `sha256:${'a'.repeat(64)}`,
          mediaType: 'application/vnd.oci.image.manifest.v1+json',
        },
      },
    ],
  });

  it('starts matching workflows once per event, with the shared secret', async () => {
    const send = (id: string, authorization: string) =>
      f.app.inject({
        method: 'POST',
        url: '/api/events/distribution',
        headers: { authorization },
        payload: notification(id),
      });
    const first = await send('evt-1', `Bearer ${WEBHOOK_SECRET}`);
    expect(first.statusCode).toBe(202);
    expect(first.json()).toMatchObject({
      events: 1,
      duplicates: 0,
      runs: [{ workflow: 'mirror', startedBy: 'system:webhook' }],
    });
    const again = await send('evt-1', WEBHOOK_SECRET);
    expect(again.json()).toMatchObject({ events: 1, duplicates: 1, runs: [] });
    const [entry] = await f.audit.list({ action: 'run.start', limit: 1 });
    expect(entry).toMatchObject({
      actor: 'system:webhook',
      target: `run:${first.json().runs[0].id}`,
      details: { trigger: 'registry', source: 'distribution' },
    });
    const wrong = await send('evt-2', 'Bearer not-the-secret');
    expect(wrong.statusCode).toBe(401);
  });

  it('accepts an operator token instead of a secret, and needs one where no secret is configured', async () => {
    const withToken = await f.app.inject({
      method: 'POST',
      url: '/api/events/distribution',
      headers: bearer(f.secrets.operator),
      payload: notification('evt-3'),
    });
    expect(withToken.statusCode).toBe(202);
    const harbor = await f.app.inject({
      method: 'POST',
      url: '/api/events/harbor',
      payload: { type: 'PUSH_ARTIFACT' },
    });
    expect(harbor.statusCode).toBe(401);
    const invalid = await f.app.inject({
      method: 'POST',
      url: '/api/events/harbor',
      headers: bearer(f.secrets.operator),
      payload: [1],
    });
    expect(invalid.statusCode).toBe(400);
    expect(invalid.json().code).toBe('ENGINE_EVENT_INVALID');
    const unknown = await f.app.inject({
      method: 'POST',
      url: '/api/events/quay',
      headers: bearer(f.secrets.operator),
      payload: {},
    });
    expect(unknown.statusCode).toBe(400);
  });

  it('lists triggers', async () => {
    const response = await f.app.inject({
      method: 'GET',
      url: '/api/triggers',
      headers: bearer(f.secrets.viewer),
    });
    expect(response.json().triggers).toEqual([
      expect.objectContaining({ workflow: 'mirror', type: 'manual' }),
      expect.objectContaining({ workflow: 'mirror', type: 'registry', description: 'push to library/**' }),
    ]);
  });
});

describe('tokens', () => {
  it('creates a token shown once, lists it without the secret, and revokes it', async () => {
    const create = await f.app.inject({
      method: 'POST',
      url: '/api/tokens',
      headers: bearer(f.secrets.admin),
      payload: { subject: 'robot:ci', roles: ['operator'], expiresIn: '30d', description: 'CI' },
    });
    expect(create.statusCode).toBe(201);
    const created = create.json();
    expect(isApiTokenFormat(created.token)).toBe(true);
    expect(Date.parse(created.expiresAt) - Date.now()).toBeGreaterThan(29.9 * 86_400_000);
    const whoami = await f.app.inject({ method: 'GET', url: '/api/whoami', headers: bearer(created.token) });
    expect(whoami.json()).toEqual({
      subject: 'robot:ci',
      roles: ['operator'],
      token: { id: created.id, expiresAt: created.expiresAt },
    });

    const list = await f.app.inject({ method: 'GET', url: '/api/tokens', headers: bearer(f.secrets.admin) });
    expect(list.body).not.toContain(created.token);
    expect(list.json().tokens[0]).toMatchObject({
      id: created.id,
      subject: 'robot:ci',
      createdBy: 'user:admin',
    });

    const revoke = await f.app.inject({
      method: 'DELETE',
      url: `/api/tokens/${created.id}`,
      headers: bearer(f.secrets.admin),
    });
    expect(revoke.json()).toMatchObject({ id: created.id, revokedBy: 'user:admin' });
    const live = await f.app.inject({ method: 'GET', url: '/api/tokens', headers: bearer(f.secrets.admin) });
    expect(live.json().tokens.map((t: { id: string }) => t.id)).not.toContain(created.id);
    const all = await f.app.inject({
      method: 'GET',
      url: '/api/tokens?all=true',
      headers: bearer(f.secrets.admin),
    });
    expect(all.json().tokens.map((t: { id: string }) => t.id)).toContain(created.id);
    const missing = await f.app.inject({
      method: 'DELETE',
      url: '/api/tokens/tok_nope',
      headers: bearer(f.secrets.admin),
    });
    expect(missing.statusCode).toBe(404);

    const actions = (await f.audit.list({ target: `token:${created.id}` })).map((e) => e.action).reverse();
    expect(actions).toEqual(['token.create', 'token.use', 'token.revoke']);
  });

  it('refuses past, too distant and ambiguous expiries', async () => {
    const post = (payload: object) =>
      f.app.inject({ method: 'POST', url: '/api/tokens', headers: bearer(f.secrets.admin), payload });
    const base = { subject: 'user:x', roles: ['viewer'] };
    expect((await post({ ...base, expiresAt: '2001-01-01T00:00:00Z' })).json().detail).toContain(
      'in the past',
    );
    expect((await post({ ...base, expiresIn: '400d' })).json().detail).toContain('at most 366 days');
    expect((await post({ ...base, expiresIn: 'soon' })).json().detail).toContain('invalid expiresIn "soon"');
    expect((await post({ ...base, expiresIn: '1d', expiresAt: '2099-01-01T00:00:00Z' })).statusCode).toBe(
      400,
    );
    expect((await post({ ...base, subject: 'system:scheduler' })).statusCode).toBe(400);
  });
});

describe('audit', () => {
  it('lists entries for admins, pages them, and the chain verifies', async () => {
    const page = await f.app.inject({
      method: 'GET',
      url: '/api/audit?limit=2',
      headers: bearer(f.secrets.admin),
    });
    const body = page.json();
    expect(body.entries).toHaveLength(2);
    expect(body.entries[0].seq).toBeGreaterThan(body.entries[1].seq);
    expect(body.next).toBe(body.entries[1].seq);
    const next = await f.app.inject({
      method: 'GET',
      url: `/api/audit?limit=2&before=${body.next}`,
      headers: bearer(f.secrets.admin),
    });
    expect(next.json().entries[0].seq).toBe(body.next - 1);
    const bootstrap = await f.app.inject({
      method: 'GET',
      url: '/api/audit?actor=system:bootstrap',
      headers: bearer(f.secrets.admin),
    });
    expect(bootstrap.json().entries).toEqual([expect.objectContaining({ seq: 1, action: 'token.create' })]);
    expect(await f.audit.verify()).toMatchObject({ ok: true });
  });
});
