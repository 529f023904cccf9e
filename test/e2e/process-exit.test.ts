import { spawn } from 'node:child_process';
import { readlink, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TempDir, makeTempDir } from '../harness/cleanup.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Runs the CLI as a real process, as a shell or CI job does, and resolves with its exit code. */
function airlock(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'src/cli/run.ts'), ...args], {
      cwd: root,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (c: Buffer) => (output += c.toString()));
    child.stderr.on('data', (c: Buffer) => (output += c.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, output }));
  });
}

describe('exit codes of commands that run the embedded Postgres', () => {
  let temp: TempDir;
  beforeAll(async () => {
    temp = await makeTempDir('process-exit');
  });
  afterAll(async () => {
    // As root under a private temporary directory, the cluster lives outside (see cluster-directory.ts).
    const cluster = await readlink(join(temp.path, 'data', 'postgres')).catch(() => undefined);
    if (cluster) await rm(dirname(cluster), { recursive: true, force: true });
    await temp?.remove();
  });

  it('keeps the exit code of a failed run after stopping the embedded Postgres', async () => {
    const file = join(temp.path, 'fails.yaml');
    await writeFile(
      file,
      'apiVersion: airlock.dev/v1\nkind: Workflow\nname: fails\nsteps:\n  - { id: no, uses: exec@v1, with: { command: [false] } }\n',
    );
    const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: temp.path };
    const { code, output } = await airlock(['run', file, '--data', join(temp.path, 'data')], env);
    // The summary line names the run's own outcome (not only the file, which is called fails.yaml).
    expect(output).toMatch(/run \S+ \(fails v1\) failed/);
    expect(code).toBe(1);
  }, 120_000);
});
