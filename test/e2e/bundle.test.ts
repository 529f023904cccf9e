import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
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
    const outfile = join(dir, 'airlock.mjs');
    await (bundle as (outfile: string) => Promise<void>)(outfile);
    const version = await run(process.execPath, [outfile, '--version']);
    expect(version.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
    const help = await run(process.execPath, [outfile, 'serve', '--help']);
    expect(help.stdout).toContain('--registry-listen');
  }, 120_000);
});
