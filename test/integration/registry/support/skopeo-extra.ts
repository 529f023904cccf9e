import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { onProcessExit } from '../../../harness/index.js';

const run = promisify(execFile);
let authFile: string | undefined;

/** `skopeo delete` against a plain-HTTP loopback registry (the shared wrappers have no delete). */
export async function skopeoDelete(
  reference: string,
  creds?: { username: string; password: string },
): Promise<void> {
  const args = ['delete', '--tls-verify=false', '--authfile', emptyAuthFile()];
  if (creds) args.push('--creds', `${creds.username}:${creds.password}`);
  await run('skopeo', [...args, `docker://${reference}`], { timeout: 60_000 });
}

/** An auth file of our own, so that the machine's credentials never reach a test registry. */
function emptyAuthFile(): string {
  if (!authFile) {
    const dir = mkdtempSync(join(tmpdir(), 'airlock-skopeo-delete-'));
    onProcessExit(() => rmSync(dir, { recursive: true, force: true }));
    authFile = join(dir, 'auth.json');
    writeFileSync(authFile, '{"auths":{}}\n');
  }
  return authFile;
}
