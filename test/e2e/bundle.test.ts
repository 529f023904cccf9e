import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// @ts-expect-error: a plain JavaScript build script without type declarations
import { bundle } from '../../scripts/bundle.mjs';

const run = promisify(execFile);
const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** `npm start` and the installed CLI run the bundle: it must build and load. */
describe('the bundled CLI', () => {
  // Inside the project: the bundle finds its external packages in node_modules.
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(root, 'node_modules', '.airlock-bundle-test-'));
  });
  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('builds, loads every module and answers', async () => {
    await (bundle as (outdir: string) => Promise<void>)(dir);
    const outfile = join(dir, 'airlock.mjs');
    const version = await run(process.execPath, [outfile, '--version']);
    expect(version.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
    const help = await run(process.execPath, [outfile, 'serve', '--help']);
    expect(help.stdout).toContain('--registry-listen');
    // Commands load their parts when they run: the workflow definitions and actions…
    const workflow = join(dir, 'ok.yaml');
    await writeFile(
      workflow,
      'apiVersion: airlock.dev/v1\nkind: Workflow\nname: ok\nsteps:\n  - { id: a, uses: exec@v1, with: { command: [true] } }\n',
    );
    const validated = await run(process.execPath, [outfile, 'workflow', 'validate', workflow]);
    expect(validated.stdout).toContain('ok (workflow ok, 1 step');
    // …and the engine (DBOS), which here stops at the configuration check, before any database.
    const worker = await run(process.execPath, [outfile, 'worker', '--data', join(dir, 'data')], {
      env: { ...process.env, AIRLOCK_QUEUES: '{oops' },
    }).catch((error: { code: number; stderr: string }) => error);
    expect(worker).toMatchObject({ code: 2, stderr: expect.stringContaining('AIRLOCK_QUEUES is not JSON') });
  }, 120_000);
});
