import { randomBytes } from 'node:crypto';

/** Time-ordered, URL-safe run ids: `r` + base-36 milliseconds + 10 random characters. */
export function newRunId(now = Date.now()): string {
  return `r${now.toString(36).padStart(9, '0')}${randomBytes(8).toString('hex').slice(0, 10)}`;
}
