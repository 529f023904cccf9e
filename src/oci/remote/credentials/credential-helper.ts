import { spawn, type ChildProcess } from 'node:child_process';
import { AppError, abortedError } from '../../../kernel/index.js';
import type { Env } from './config-paths.js';
import type { Credential } from './credential.js';
import { REGISTRY_AUTH_ENV } from './static-credentials.js';
import { isJsonObject } from './json-text.js';

/**
 * How long a helper may take. Helpers that talk to a cloud (ecr-login, gcloud) need a few
 * seconds; one that waits on a locked keychain should fail rather than stall a mirror run.
 */
export const DEFAULT_HELPER_TIMEOUT_MS = 30_000;

/** What helpers print when they hold nothing for a server (docker-credential-helpers `credentials.errCredentialsNotFound`). */
const NOT_FOUND_MESSAGE = 'credentials not found in native keychain';

/** Docker's convention: this username means the secret is an identity (refresh) token. */
const TOKEN_USERNAME = '<token>';

/** Bounds what a helper may print; real answers are a few kilobytes. */
const MAX_OUTPUT_BYTES = 1024 * 1024;

export interface CredentialHelperGetOptions {
  /** Environment of the helper; its PATH is where `docker-credential-<name>` is looked up. */
  env: Env;
  timeoutMs?: number;
  signal?: AbortSignal;
  /** The registry being resolved, for error messages. */
  registry: string;
}

interface HelperOutcome {
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs `docker-credential-<helper> get` with the server URL on stdin, following the
 * docker-credential-helpers protocol: exit 0 with `{"ServerURL","Username","Secret"}` on
 * stdout, or a non-zero exit with the error message on stdout, where "credentials not found
 * in native keychain" means the helper holds nothing (undefined here).
 */
export async function getFromCredentialHelper(
  helper: string,
  serverUrl: string,
  options: CredentialHelperGetOptions,
): Promise<Credential | undefined> {
  const program = `docker-credential-${helper}`;
  const outcome = await runHelper(program, serverUrl, options);
  if (outcome.exitCode !== 0) {
    if (outcome.stdout.trim() === NOT_FOUND_MESSAGE || outcome.stderr.trim() === NOT_FOUND_MESSAGE)
      return undefined;
    // The protocol puts error messages on stdout; an object there may be an answer with a secret.
    const said =
      excerpt(outcome.stderr) || (outcome.stdout.trimStart().startsWith('{') ? '' : excerpt(outcome.stdout));
    const how = outcome.signal ? `was killed by ${outcome.signal}` : `exited with code ${outcome.exitCode}`;
    throw helperError(program, options.registry, `${how}${said ? `: ${said}` : ''}`);
  }
  return parseHelperAnswer(outcome.stdout, program, options.registry);
}

function parseHelperAnswer(stdout: string, program: string, registry: string): Credential | undefined {
  let answer: unknown;
  try {
    answer = JSON.parse(stdout);
  } catch {
    // The output may hold the secret: say nothing about its content.
    throw helperError(program, registry, 'answered with output that is not JSON');
  }
  if (!isJsonObject(answer)) throw helperError(program, registry, 'answered with JSON that is not an object');
  const username = answer.Username ?? '';
  const secret = answer.Secret ?? '';
  if (typeof username !== 'string' || typeof secret !== 'string') {
    throw helperError(program, registry, 'answered with a non-string "Username" or "Secret"');
  }
  if (secret === '' && username === '') return undefined;
  if (username === TOKEN_USERNAME) return { kind: 'identity-token', token: secret };
  return { kind: 'basic', username, password: secret };
}

function runHelper(
  program: string,
  serverUrl: string,
  options: CredentialHelperGetOptions,
): Promise<HelperOutcome> {
  const { signal, registry } = options;
  const timeoutMs = options.timeoutMs ?? DEFAULT_HELPER_TIMEOUT_MS;
  if (signal?.aborted) return Promise.reject(abortedError(signal));
  return new Promise<HelperOutcome>((resolve, reject) => {
    const child = spawn(program, ['get'], { env: definedEnv(options.env), stdio: 'pipe', windowsHide: true });
    const stdout = collect(child, 'stdout');
    const stderr = collect(child, 'stderr');
    let settled = false;
    const finish = (error: unknown, outcome?: HelperOutcome) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      if (error === undefined && outcome) resolve(outcome);
      else {
        stop(child);
        reject(error);
      }
    };
    const onAbort = () => finish(abortedError(signal));
    const timer = setTimeout(
      () => finish(helperError(program, registry, `did not answer within ${formatMs(timeoutMs)}`)),
      timeoutMs,
    );
    signal?.addEventListener('abort', onAbort, { once: true });
    child.on('error', (error: NodeJS.ErrnoException) =>
      finish(spawnError(program, registry, error, options.env)),
    );
    child.on('close', (exitCode, exitSignal) => {
      if (stdout.overflow || stderr.overflow) {
        finish(helperError(program, registry, `printed more than ${MAX_OUTPUT_BYTES} bytes`));
      } else {
        finish(undefined, { exitCode, signal: exitSignal, stdout: stdout.text(), stderr: stderr.text() });
      }
    });
    // A helper may exit without reading stdin; the resulting EPIPE is not the failure to report.
    child.stdin?.on('error', () => {});
    child.stdin?.end(serverUrl);
  });
}

function collect(child: ChildProcess, stream: 'stdout' | 'stderr') {
  const chunks: Buffer[] = [];
  const state = { size: 0, overflow: false, text: () => Buffer.concat(chunks).toString('utf8') };
  child[stream]?.on('data', (chunk: Buffer) => {
    state.size += chunk.length;
    if (state.size > MAX_OUTPUT_BYTES) state.overflow = true;
    else chunks.push(chunk);
  });
  return state;
}

/** Kills the helper and lets go of its pipes, which a grandchild may still hold open. */
function stop(child: ChildProcess): void {
  if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  child.stdin?.destroy();
  child.stdout?.destroy();
  child.stderr?.destroy();
}

function spawnError(program: string, registry: string, error: NodeJS.ErrnoException, env: Env): AppError {
  if (error.code === 'ENOENT') {
    return helperError(
      program,
      registry,
      `is not installed: no executable "${program}" on the PATH (${env.PATH ?? 'PATH is not set'})`,
      error,
    );
  }
  return helperError(program, registry, `could not be started: ${error.code ?? error.message}`, error);
}

function helperError(program: string, registry: string, what: string, cause?: unknown): AppError {
  return new AppError(
    'AUTH_CREDENTIAL_HELPER_FAILED',
    `credential helper ${program} ${what} (asked for ${registry})`,
    {
      cause,
      details: { helper: program, registry },
    },
  );
}

/** The first line of what a failing helper printed, bounded. */
function excerpt(text: string): string {
  const line = text.trim().split('\n')[0]?.trim() ?? '';
  return line.length > 200 ? `${line.slice(0, 197)}...` : line;
}

function formatMs(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${ms} ms`;
}

/** The helper's environment: everything but Airlock's own secrets, which no helper needs. */
function definedEnv(env: Env): NodeJS.ProcessEnv {
  const out: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(env)) {
    if (value !== undefined && name !== REGISTRY_AUTH_ENV) out[name] = value;
  }
  return out;
}
