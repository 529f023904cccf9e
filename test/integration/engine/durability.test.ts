import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningEngine, startEngine } from '../../../src/app/engine.js';
import { silentLogger } from '../../../src/kernel/index.js';
import type { Actor } from '../../../src/engine/service.js';
import {
  type TempDir,
  type TestDatabase,
  type WorkerProcess,
  createTestDatabase,
  makeTempDir,
  startWorker,
} from '../../harness/index.js';

const ADMIN: Actor = { subject: 'user:test', roles: ['admin'] };

/** Appends `<name>-start`, waits, appends `<name>-end` to the file named on stdin: visible side effects. */
const MARK = `let d='';process.stdin.on('data',c=>d+=c).on('end',async()=>{const {file}=JSON.parse(d);const fs=require('fs');const [name,ms]=process.argv.slice(1);fs.appendFileSync(file,name+'-start\\n');await new Promise(r=>setTimeout(r,Number(ms)));fs.appendFileSync(file,name+'-end\\n');console.log(JSON.stringify({done:name}))})`;

function markStep(id: string, ms: number, needs?: string): string {
  return `  - id: ${id}
    uses: exec@v1${needs ? `\n    needs: ${needs}` : ''}
    with:
      command: ['node', '-e', ${JSON.stringify(MARK)}, '${id}', '${ms}']
      input: { file: '\${{ inputs.marker }}' }
`;
}

const DURABLE = `apiVersion: airlock.dev/v1
kind: Workflow
name: durable
inputs:
  marker: { type: string }
steps:
${markStep('one', 0)}${markStep('two', 4000, 'one')}${markStep('three', 0, 'two')}`;

const GATED = `apiVersion: airlock.dev/v1
kind: Workflow
name: gated
inputs:
  marker: { type: string }
steps:
${markStep('before', 0)}  - id: gate
    uses: approval@v1
    needs: before
    with: { approvers: ['role:approver'], timeout: 1h }
${markStep('after', 0, 'gate')}`;

describe('durable runs across crashes, restarts and worker takeover', () => {
  let temp: TempDir;
  let database: TestDatabase;
  let control: RunningEngine;
  const workers: WorkerProcess[] = [];

  beforeAll(async () => {
    temp = await makeTempDir('engine');
    database = await createTestDatabase();
    // This process starts and observes runs; workers (child processes) execute them.
    control = await startEngine({
      dataDir: join(temp.path, 'control'),
      env: { HOME: temp.path, DATABASE_URL: database.connectionString },
      logger: silentLogger,
      workerId: 'control',
      executeRuns: false,
    });
    await control.engine.applyWorkflow(DURABLE, { file: 'durable.yaml', actor: ADMIN });
    await control.engine.applyWorkflow(GATED, { file: 'gated.yaml', actor: ADMIN });
  }, 120_000);

  afterAll(async () => {
    for (const worker of workers) await worker.kill().catch(() => undefined);
    await control?.stop();
    await database?.drop();
    await temp?.remove();
  });

  async function worker(id: string): Promise<WorkerProcess> {
    const started = await startWorker({
      id,
      databaseUrl: database.connectionString,
      dataDir: join(temp.path, id),
    });
    workers.push(started);
    return started;
  }

  async function markerFile(name: string): Promise<string> {
    const path = join(temp.path, `${name}.log`);
    await writeFile(path, '');
    return path;
  }

  async function waitFor(what: string, check: () => Promise<boolean>, timeoutMs = 60_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!(await check())) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  const lines = async (path: string) => (await readFile(path, 'utf8')).split('\n').filter(Boolean);
  const finished = (runId: string) => async () =>
    ['succeeded', 'failed', 'cancelled'].includes((await control.engine.getRun(runId))?.status ?? '');

  it('resumes a run after its worker is killed mid-step: completed steps are not repeated', async () => {
    const first = await worker('w-restart');
    const marker = await markerFile('restart');
    const run = await control.engine.startRun('durable', { inputs: { marker }, actor: ADMIN });
    await waitFor('step two to start', async () => (await lines(marker)).includes('two-start'));
    await first.kill();
    await worker('w-restart'); // the same identity: resumes its own runs on start
    await waitFor('the run to finish', finished(run.id));
    const detail = await control.engine.getRun(run.id);
    expect(detail?.status).toBe('succeeded');
    const written = await lines(marker);
    expect(written.filter((l) => l === 'one-start')).toHaveLength(1);
    expect(written.filter((l) => l === 'one-end')).toHaveLength(1);
    expect(written.filter((l) => l === 'two-start')).toHaveLength(2);
    expect(written.filter((l) => l === 'two-end')).toHaveLength(1);
    expect(written.filter((l) => l === 'three-end')).toHaveLength(1);
  });

  it('has another worker take over the runs of a worker that died', async () => {
    const doomed = await worker('w-doomed');
    const marker = await markerFile('takeover');
    const run = await control.engine.startRun('durable', { inputs: { marker }, actor: ADMIN });
    await waitFor('step two to start', async () => (await lines(marker)).includes('two-start'));
    await worker('w-heir');
    await doomed.kill();
    await waitFor('the run to finish elsewhere', finished(run.id));
    expect((await control.engine.getRun(run.id))?.status).toBe('succeeded');
    const written = await lines(marker);
    expect(written.filter((l) => l === 'one-start')).toHaveLength(1);
    expect(written.filter((l) => l === 'three-end')).toHaveLength(1);
  });

  it('keeps waiting for an approval across a restart, then continues on the decision', async () => {
    const first = await worker('w-approval');
    const marker = await markerFile('approval');
    const run = await control.engine.startRun('gated', { inputs: { marker }, actor: ADMIN });
    await waitFor(
      'the approval request',
      async () => (await control.engine.listApprovals({ runId: run.id, status: 'pending' })).length === 1,
    );
    expect((await control.engine.getRun(run.id))?.status).toBe('waiting');
    await first.kill();
    await worker('w-approval');
    await expect(
      control.engine.decide(run.id, {
        decision: 'approve',
        reason: 'ok',
        actor: { subject: 'user:viewer', roles: ['viewer'] },
      }),
    ).rejects.toMatchObject({ code: 'ENGINE_APPROVAL_NOT_ALLOWED' });
    await control.engine.decide(run.id, {
      decision: 'approve',
      reason: 'reviewed the scan',
      actor: { subject: 'user:alice', roles: ['approver'] },
    });
    await waitFor('the run to finish', finished(run.id));
    const detail = await control.engine.getRun(run.id);
    expect(detail?.status).toBe('succeeded');
    expect(detail?.steps.find((s) => s.stepId === 'gate')?.outputs).toMatchObject({
      approved: true,
      decidedBy: 'user:alice',
      reason: 'reviewed the scan',
    });
    expect((await lines(marker)).filter((l) => l === 'before-start')).toHaveLength(1);
  });
});
