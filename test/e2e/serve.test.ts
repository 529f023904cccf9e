import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ServeReady, serve } from '../../src/app/serve.js';
import { silentLogger } from '../../src/kernel/index.js';
import { makeImage, makeLayer, pushFixtureToRegistry } from '../fixtures/index.js';
import { type TempDir, makeTempDir } from '../harness/cleanup.js';
import { createTestDatabase, type TestDatabase } from '../harness/index.js';

// The API's JSON bodies, read loosely: the API's own tests check their shapes.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type ApiJson = any;

/** `airlock serve` as a whole: API, built-in registry and worker in one process on one database. */
describe('airlock serve', () => {
  let temp: TempDir;
  let database: TestDatabase;
  const stop = new AbortController();
  let running: Promise<void>;
  let ready: ServeReady;

  beforeAll(async () => {
    temp = await makeTempDir('serve');
    database = await createTestDatabase();
    ready = await new Promise<ServeReady>((resolve, reject) => {
      running = serve({
        dataDir: join(temp.path, 'data'),
        env: { HOME: temp.path, DATABASE_URL: database.connectionString },
        logger: silentLogger,
        listen: '127.0.0.1:0',
        registryListen: '127.0.0.1:0',
        version: '0.0.0-test',
        signal: stop.signal,
        onReady: resolve,
      });
      running.catch(reject);
    });
  }, 120_000);

  afterAll(async () => {
    stop.abort();
    await running?.catch(() => undefined);
    await database?.drop();
    await temp?.remove();
  });

  async function api(
    method: string,
    path: string,
    body?: unknown,
  ): Promise<{ status: number; json: ApiJson }> {
    const response = await fetch(`${ready.api}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${ready.bootstrapToken}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: response.status, json: await response.json().catch(() => undefined) };
  }

  it('prints a bootstrap admin token once and serves the API with it', async () => {
    expect(ready.bootstrapToken).toMatch(/^airlock_/);
    expect(ready.registry?.address).toMatch(/^127\.0\.0\.1:\d+$/);
    const health = await api('GET', '/api/healthz');
    expect(health.status).toBe(200);
  });

  it("starts a workflow when an image is pushed to the built-in registry's watched repositories", async () => {
    const source = [
      'apiVersion: airlock.dev/v1',
      'kind: Workflow',
      'name: on-push',
      'on:',
      "  registry: { push: { repository: 'quarantine/**' } }",
      'steps:',
      '  - id: look',
      '    uses: oci/inspect@v1',
      "    with: { image: 'builtin://${{ trigger.event.repository }}@${{ trigger.event.digest }}' }",
      '',
    ].join('\n');
    const applied = await api('POST', '/api/workflows', { source });
    expect(applied.status, JSON.stringify(applied.json)).toBeLessThan(300);
    const image = makeImage({ layers: [await makeLayer({ seed: 'serve-push', size: 512 })] });
    // The push the trigger must ignore goes first: events are delivered in order, so by the
    // time the quarantine run has finished, the other one has been seen (and not run).
    await pushFixtureToRegistry(image, { host: ready.registry!.address, repository: 'other/app', tag: 'v1' });
    await pushFixtureToRegistry(image, {
      host: ready.registry!.address,
      repository: 'quarantine/app',
      tag: 'v1',
    });
    const deadline = Date.now() + 30_000;
    let runs: { id: string; status: string; trigger: { type: string; event: Record<string, unknown> } }[] =
      [];
    for (;;) {
      runs = (await api('GET', '/api/runs?workflow=on-push')).json.runs;
      if (runs.length > 0 && runs.every((r) => r.status === 'succeeded' || r.status === 'failed')) break;
      if (Date.now() > deadline) throw new Error(`runs did not finish: ${JSON.stringify(runs)}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    expect(runs).toHaveLength(1);
    const audit = await api('GET', `/api/audit?action=run.start`);
    expect(audit.json.entries).toContainEqual(
      expect.objectContaining({ actor: 'system:registry', target: `run:${runs[0]!.id}` }),
    );
    expect(runs[0]).toMatchObject({
      status: 'succeeded',
      trigger: { type: 'registry', event: { repository: 'quarantine/app', tag: 'v1', action: 'push' } },
    });
  }, 60_000);
});
