import { spawn } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

/**
 * The ecosystems' own tools as test oracles: Debian's `dpkg --compare-versions` and rpm's
 * Lua `rpm.vercmp`. Calls are batched (one shell loop, one rpm process) so thousands of
 * comparisons stay within a unit test's time.
 */

export function commandAvailable(name: string): boolean {
  return (process.env.PATH ?? '').split(delimiter).some((dir) => {
    try {
      accessSync(join(dir, name), constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

/** Relations a comparator claims: `a lt b` or `a eq b`, in dpkg's operator names. */
export interface ClaimedRelation {
  a: string;
  op: 'lt' | 'eq';
  b: string;
}

/**
 * Asks dpkg about each claim and returns those it rejects. Runs `parallel` shell loops
 * (one `dpkg` process per claim; versions contain no whitespace).
 */
export async function dpkgRejected(
  claims: readonly ClaimedRelation[],
  parallel = 2,
): Promise<ClaimedRelation[]> {
  const chunks: ClaimedRelation[][] = Array.from({ length: parallel }, () => []);
  claims.forEach((claim, i) => chunks[i % parallel]!.push(claim));
  const script =
    'while read -r a op b; do dpkg --compare-versions "$a" "$op" "$b" || printf "%s %s %s\\n" "$a" "$op" "$b"; done';
  const outputs = await Promise.all(
    chunks.map((chunk) => run('bash', ['-c', script], chunk.map((c) => `${c.a} ${c.op} ${c.b}\n`).join(''))),
  );
  return outputs
    .flatMap((out) => out.split('\n'))
    .filter((line) => line.length > 0)
    .map((line) => {
      const [a, op, b] = line.split(' ') as [string, 'lt' | 'eq', string];
      return { a, op, b };
    });
}

/** `rpm.vercmp(a, b)` for every pair, in one rpm process. */
export async function rpmVercmp(pairs: readonly (readonly [string, string])[]): Promise<number[]> {
  const lua =
    "%{lua: for line in io.lines() do local a, b = line:match('^(%S+) (%S+)$'); print(rpm.vercmp(a, b) .. '\\n') end}";
  const out = await run('rpm', ['--eval', lua], pairs.map(([a, b]) => `${a} ${b}\n`).join(''));
  return out
    .split('\n')
    .filter((line) => line.length > 0)
    .map(Number);
}

function run(command: string, args: string[], input: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
    child.on('error', (error: NodeJS.ErrnoException) => {
      reject(
        error.code === 'ENOENT'
          ? new Error(`${command} is not on PATH; the oracle tests need it in CI`)
          : error,
      );
    });
    child.on('close', (code) => {
      if (code === 0) resolve(Buffer.concat(out).toString('utf8'));
      else
        reject(
          new Error(`${command} exited with ${code}: ${Buffer.concat(err).toString('utf8').slice(-2000)}`),
        );
    });
    child.stdin.end(input);
  });
}
