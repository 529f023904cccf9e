import { execFileSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/**
 * Bundles the CLI and returns how to run it as its users do (`node dist/airlock.mjs`, what
 * `bin/airlock.js` runs), so that benchmarks compare processes with processes, start-up included.
 */
export function builtAirlock(): { command: string; args: string[] } {
  execFileSync('npm', ['run', 'bundle', '--silent'], { cwd: root, stdio: 'inherit' });
  return { command: process.execPath, args: [join(root, 'dist', 'airlock.mjs')] };
}
