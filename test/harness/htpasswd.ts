import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { AppError } from '../../src/kernel/index.js';

const run = promisify(execFile);

export interface MakeHtpasswdOptions {
  signal?: AbortSignal;
}

/**
 * An htpasswd file body for `users`, made by Apache's `htpasswd -Bbn`: distribution's htpasswd
 * auth accepts bcrypt entries only (registry/auth/htpasswd), and `-B` writes exactly those.
 * The password is an argument of a short-lived local process; acceptable for test accounts only.
 */
export async function makeHtpasswd(
  users: Record<string, string>,
  options: MakeHtpasswdOptions = {},
): Promise<string> {
  const lines: string[] = [];
  for (const [username, password] of Object.entries(users)) {
    if (username === '' || username.includes(':')) {
      throw new AppError(
        'USAGE_INVALID',
        `htpasswd user name "${username}" must be non-empty and contain no ":"`,
      );
    }
    try {
      const { stdout } = await run('htpasswd', ['-Bbn', username, password], { signal: options.signal });
      lines.push(stdout.trim());
    } catch (error) {
      // The error's own message repeats the command line, password included: report stderr only.
      const { stderr, code } = error as { stderr?: string; code?: string | number };
      const reason = stderr?.trim() || `exit code ${String(code)}`;
      throw new AppError('INTERNAL', `htpasswd could not hash the password of "${username}": ${reason}`);
    }
  }
  return `${lines.join('\n')}\n`;
}
