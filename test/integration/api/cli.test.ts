import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isolatedEnv, runCli } from '../../e2e/cli-harness.js';
import { type ApiFixture, MIRROR_WORKFLOW, startApiFixture } from './support.js';

let f: ApiFixture;
let dir: string;
let server: string;
beforeAll(async () => {
  f = await startApiFixture({ heartbeatMs: 100 });
  server = await f.app.listen({ host: '127.0.0.1', port: 0 });
  dir = await mkdtemp(join(tmpdir(), 'airlock-cli-api-'));
  await writeFile(join(dir, 'mirror.yaml'), MIRROR_WORKFLOW);
  await writeFile(
    join(dir, 'bad.yaml'),
    'apiVersion: airlock.dev/v1\nkind: Workflow\nname: bad\nsteps:\n  - id: a\n    uses: nope\n',
  );
});
afterAll(async () => {
  await f?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

function cli(args: string[], role: 'viewer' | 'operator' | 'approver' | 'admin' | 'none' = 'admin') {
  const env: NodeJS.ProcessEnv = {
    ...isolatedEnv(dir),
    AIRLOCK_SERVER: server,
    DATABASE_URL: f.connectionString,
  };
  if (role !== 'none') env.AIRLOCK_TOKEN = f.secrets[role];
  return runCli(args, env);
}

describe('airlock workflow', () => {
  it('applies files, reporting each, with problems listed per line', async () => {
    const first = await cli(['workflow', 'apply', join(dir, 'mirror.yaml')], 'operator');
    expect(first).toMatchObject({ code: 0, stdout: 'mirror: version 1 created\n' });
    const again = await cli(
      ['workflow', 'apply', join(dir, 'mirror.yaml'), join(dir, 'bad.yaml')],
      'operator',
    );
    expect(again.stdout).toBe('mirror: unchanged (version 1)\n');
    expect(again.stderr).toBe(
      'error: invalid workflow definition in bad.yaml (1 problem) [ENGINE_DEFINITION_INVALID]\n' +
        '  bad.yaml:6:11: steps[0].uses: must name an action and its version, e.g. oci/copy@v1\n',
    );
    expect(again.code).toBe(5);
    expect((await cli(['workflow', 'apply', join(dir, 'bad.yaml')], 'operator')).code).toBe(2);
    const missing = await cli(['workflow', 'apply', join(dir, 'nope.yaml')], 'operator');
    expect(missing.stderr).toContain(`cannot read ${join(dir, 'nope.yaml')}: no such file`);
  });

  it('lists and shows workflows', async () => {
    const list = await cli(['workflow', 'list'], 'viewer');
    expect(list.stdout).toMatch(
      /^NAME\s+VERSION\s+TRIGGERS\s+UPDATED\s+DESCRIPTION\nmirror\s+1\s+manual,registry\s+\S+ \S+\s+Mirror a repository\n$/,
    );
    const show = await cli(['workflow', 'show', 'mirror', '--version', '1'], 'viewer');
    expect(show.stdout).toBe(MIRROR_WORKFLOW);
    expect(show.stderr).toMatch(/^# mirror version 1, sha256:[0-9a-f]{64}, by user:operator at /);
    const json = JSON.parse((await cli(['workflow', 'versions', 'mirror', '--json'], 'viewer')).stdout);
    expect(json).toEqual([expect.objectContaining({ name: 'mirror', version: 1 })]);
    const unknown = await cli(['workflow', 'show', 'nope'], 'viewer');
    expect(unknown).toMatchObject({
      code: 4,
      stderr: 'error: workflow nope does not exist: see GET /api/workflows [ENGINE_WORKFLOW_NOT_FOUND]\n',
    });
  });
});

describe('airlock runs', () => {
  it('starts a run with inputs and shows it', async () => {
    const start = await cli(
      [
        'runs',
        'start',
        'mirror',
        '--input',
        'count=2',
        '-i',
        'repository=docker.io/library/python',
        '--json',
      ],
      'operator',
    );
    expect(start.code).toBe(0);
    const run = JSON.parse(start.stdout);
    expect(run.inputs).toEqual({ repository: 'docker.io/library/python', count: 2 });
    f.engine.beginStep(run.id, 'tags');
    f.engine.completeStep(run.id, 'tags', { tags: ['3.12'] });
    const show = await cli(['runs', 'show', run.id], 'viewer');
    expect(show.stdout).toContain(`Run:       ${run.id}\nWorkflow:  mirror (version 1)\nStatus:    running`);
    expect(show.stdout).toMatch(/tags\s+oci\/list-tags@v1\s+succeeded\s+1/);
    const list = await cli(['runs', 'list', '--status', 'running'], 'viewer');
    expect(list.stdout.split('\n')[1]).toMatch(
      new RegExp(`^${run.id}\\s+mirror\\s+1\\s+running\\s+manual\\s+user:operator`),
    );
    const bad = await cli(['runs', 'start', 'mirror', '--input', 'count'], 'operator');
    expect(bad).toMatchObject({
      code: 2,
      stderr: 'error: --input must be name=value, got "count" [USAGE_INVALID]\n',
    });
  });

  it('follows a run live and exits 1 when it fails', async () => {
    const start = await cli(['runs', 'start', 'mirror', '--json'], 'operator');
    const id = JSON.parse(start.stdout).id as string;
    f.engine.log(id, 'before');
    const following = cli(['runs', 'logs', id, '--follow'], 'viewer');
    await new Promise((resolve) => setTimeout(resolve, 200));
    f.engine.beginStep(id, 'tags');
    f.engine.log(id, 'listing tags', { stepId: 'tags', fields: { repository: 'library/node' } });
    f.engine.failStep(id, 'tags', { code: 'ENGINE_ACTION_FAILED', message: 'registry answered 503' });
    const result = await following;
    const lines = result.stdout.trim().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^\d\d:\d\d:\d\d\.\d{3} INFO {2}before$/);
    expect(lines[1]).toMatch(/ INFO {2}tags {2}listing tags repository=library\/node$/);
    expect(result.stderr).toBe(
      `run ${id} failed at step tags: registry answered 503 [ENGINE_ACTION_FAILED]\n`,
    );
    expect(result.code).toBe(1);
  });

  it('starts and follows to success, cancels and retries', async () => {
    const following = cli(['runs', 'start', 'mirror', '--follow'], 'operator');
    let runId: string | undefined;
    await expect
      .poll(async () => (runId = (await f.engine.listRuns({ status: 'queued', limit: 1 }))[0]?.id))
      .toBeDefined();
    await new Promise((resolve) => setTimeout(resolve, 200));
    f.engine.log(runId!, 'copying');
    f.engine.completeRun(runId!);
    const result = await following;
    expect(result).toMatchObject({ code: 0, stderr: `run ${runId} succeeded\n` });
    expect(result.stdout).toContain(`started run ${runId} (mirror version 1)\n`);
    expect(result.stdout).toMatch(/INFO {2}copying\n$/);

    const other = await f.engine.startRun('mirror', { actor: { subject: 'u:x', roles: [] } });
    expect((await cli(['runs', 'cancel', other.id], 'operator')).stdout).toBe(`run ${other.id} cancelled\n`);
    expect((await cli(['runs', 'cancel', other.id], 'operator')).code).toBe(1);
    const retry = await cli(['runs', 'retry', other.id], 'operator');
    expect(retry.stdout).toMatch(new RegExp(`^started run \\S+ \\(retry of ${other.id}\\)\\n$`));
  });
});

describe('airlock approve, deny and approvals', () => {
  it('decides approvals with a reason', async () => {
    const run = await f.engine.startRun('mirror', { actor: { subject: 'u:x', roles: [] } });
    f.engine.requestApproval(run.id, 'approve');
    const pending = await cli(['approvals'], 'viewer');
    expect(pending.stdout).toMatch(new RegExp(`${run.id}\\s+approve\\s+pending\\s+role:approver`));
    const noReason = await cli(['approve', run.id], 'approver');
    expect(noReason.code).toBe(2);
    expect(noReason.stderr).toContain("required option '--reason <text>' not specified");
    const operator = await cli(['approve', run.id, '--reason', 'ok'], 'operator');
    expect(operator.code).toBe(3);
    expect(operator.stderr).toContain('it needs the role approver or admin [API_FORBIDDEN]');
    const approved = await cli(
      ['approve', run.id, '--step', 'approve', '--reason', 'exception SEC-9'],
      'approver',
    );
    expect(approved).toMatchObject({
      code: 0,
      stdout: `run ${run.id} step approve: approved by user:approver\n`,
    });
    const again = await cli(['deny', run.id, '--reason', 'too late'], 'approver');
    expect(again).toMatchObject({
      code: 4,
      stderr: `error: run ${run.id} has no pending approval [ENGINE_APPROVAL_NOT_FOUND]\n`,
    });
  });
});

describe('airlock token', () => {
  it('creates a token printed alone on stdout, lists and revokes it', async () => {
    const created = await cli([
      'token',
      'create',
      '--subject',
      'robot:ci',
      '--role',
      'operator',
      '--role',
      'viewer',
      '--expires',
      '30d',
    ]);
    expect(created.code).toBe(0);
    const secret = created.stdout.trim();
    expect(secret).toMatch(/^airlock_[0-9A-Za-z]{49}$/);
    const id = /token (tok_\w+) for robot:ci \(operator, viewer\), expires \S+; it is not shown again/.exec(
      created.stderr,
    )?.[1];
    expect(id).toBeDefined();
    const whoami = await runCli(['token', 'whoami'], {
      ...isolatedEnv(dir),
      AIRLOCK_SERVER: server,
      AIRLOCK_TOKEN: secret,
    });
    expect(whoami.stdout).toMatch(new RegExp(`^robot:ci \\(operator, viewer\\), token ${id}, expires `));
    const list = await cli(['token', 'list']);
    expect(list.stdout).toContain(id);
    expect(list.stdout).not.toContain(secret);
    expect((await cli(['token', 'revoke', id!])).stdout).toMatch(
      new RegExp(`^token ${id} \\(robot:ci\\) revoked at `),
    );
    const revoked = await runCli(['runs', 'list'], {
      ...isolatedEnv(dir),
      AIRLOCK_SERVER: server,
      AIRLOCK_TOKEN: secret,
    });
    expect(revoked.code).toBe(3);
    expect(revoked.stderr).toContain(`the API token ${id} was revoked`);
    expect(revoked.stderr).not.toContain(secret);
  });

  it('explains a missing token, a refused role and an unreachable server', async () => {
    const none = await cli(['runs', 'list'], 'none');
    expect(none).toMatchObject({ code: 3 });
    expect(none.stderr).toContain('(no token given: set AIRLOCK_TOKEN or --token) [API_UNAUTHENTICATED]');
    const viewer = await cli(['token', 'list'], 'viewer');
    expect(viewer.code).toBe(3);
    const down = await runCli(['runs', 'list', '--server', 'http://127.0.0.1:1'], {
      ...isolatedEnv(dir),
      AIRLOCK_TOKEN: f.secrets.admin,
    });
    expect(down.code).toBe(1);
    expect(down.stderr).toContain('cannot reach the Airlock API at http://127.0.0.1:1/ (ECONNREFUSED)');
    expect(down.stderr).not.toContain(f.secrets.admin);
  });
});

describe('airlock audit', () => {
  it('lists entries through the API and verifies the chain in the database', async () => {
    const list = await cli(['audit', 'list', '--action', 'approval.approve']);
    expect(list.stdout).toMatch(
      /approval\.approve\s+run:\S+\s+\{"step":"approve","reason":"exception SEC-9"\}/,
    );
    const ok = await cli(['audit', 'verify'], 'none');
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(
      /^audit log intact: \d+ entries verified in postgres:\/\/\S+; head \d+:[0-9a-f]{64}\n$/,
    );
    expect(ok.stdout).not.toMatch(/postgres:\/\/[^@/]*:[^@/]*@(?!\[REDACTED\])/);
    const head = /head (\d+:[0-9a-f]{64})/.exec(ok.stdout)![1]!;

    await f.database.db.connection().execute(async (connection) => {
      await sql`SET session_replication_role = replica`.execute(connection);
      await sql`UPDATE audit_log SET actor = 'user:mallory' WHERE seq = 3`.execute(connection);
      await sql`SET session_replication_role = DEFAULT`.execute(connection);
    });
    const broken = await cli(['audit', 'verify', '--anchor', head], 'none');
    expect(broken.code).toBe(1);
    expect(broken.stdout).toContain(
      'audit log BROKEN at entry 3 (hash-mismatch): entry 3 does not match its hash',
    );
    const json = JSON.parse((await cli(['audit', 'verify', '--json'], 'none')).stdout);
    expect(json).toMatchObject({ ok: false, checked: 2, broken: { seq: 3, reason: 'hash-mismatch' } });
    const badAnchor = await cli(['audit', 'verify', '--anchor', 'latest'], 'none');
    expect(badAnchor.code).toBe(2);
  });
});
