import { PassThrough, Readable } from 'node:stream';
import { main } from '../../src/cli/main.js';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs the `airlock` CLI in-process with captured streams and an isolated environment
 * (no real home directory, no real docker config), the way a user's shell would.
 */
export async function runCli(args: string[], env: NodeJS.ProcessEnv, stdin = ''): Promise<CliRun> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  stdout.on('data', (c: Buffer) => out.push(c));
  stderr.on('data', (c: Buffer) => err.push(c));
  const code = await main(args, {
    stdin: Readable.from([stdin]),
    stdout,
    stderr,
    env,
    signal: new AbortController().signal,
  });
  return { code, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') };
}

/** An environment with everything Airlock reads pointed into `home`. */
export function isolatedEnv(home: string): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    HOME: home,
    AIRLOCK_CONFIG_DIR: `${home}/airlock-config`,
    DOCKER_CONFIG: `${home}/docker`,
    XDG_RUNTIME_DIR: `${home}/run`,
    XDG_CONFIG_HOME: `${home}/config`,
  };
}
