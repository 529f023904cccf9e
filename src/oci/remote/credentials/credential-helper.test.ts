import { readFile, rm, writeFile, chmod } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AppError } from '../../../kernel/index.js';
import { getFromCredentialHelper } from './credential-helper.js';
import { helperDirectory, writeFakeCredentialHelper } from './testing/fake-credential-helper.js';

let directory: string;
let env: Record<string, string>;

beforeEach(async () => {
  const helpers = await helperDirectory();
  directory = helpers.directory;
  env = { PATH: helpers.path };
});

afterEach(async () => {
  await rm(directory, { recursive: true, force: true });
});

async function rejection(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AppError);
  return error as AppError;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('getFromCredentialHelper', () => {
  it('sends the server URL on stdin and reads the answer for that URL', async () => {
    const callLog = join(directory, 'calls');
    await writeFakeCredentialHelper(directory, 'answers', {
      callLog,
      answers: {
        'ghcr.io': { username: 'alice', secret: 'pa:ss' },
        'quay.io': { username: 'bob', secret: 'other' },
      },
    });
    const credential = await getFromCredentialHelper('answers', 'ghcr.io', { env, registry: 'ghcr.io' });
    expect(credential).toEqual({ kind: 'basic', username: 'alice', password: 'pa:ss' });
    expect(await readFile(callLog, 'utf8')).toBe('ghcr.io\n');
  });

  it('answers undefined when the helper reports "credentials not found"', async () => {
    await writeFakeCredentialHelper(directory, 'empty', {
      answers: { 'ghcr.io': { username: 'a', secret: 'b' } },
    });
    expect(await getFromCredentialHelper('empty', 'quay.io', { env, registry: 'quay.io' })).toBeUndefined();
  });

  it('turns the <token> username into an identity token', async () => {
    await writeFakeCredentialHelper(directory, 'acr', {
      answers: { 'myacr.azurecr.io': { username: '<token>', secret: 'refresh-token' } },
    });
    const credential = await getFromCredentialHelper('acr', 'myacr.azurecr.io', {
      env,
      registry: 'myacr.azurecr.io',
    });
    expect(credential).toEqual({ kind: 'identity-token', token: 'refresh-token' });
  });

  it('reports a failing helper with its name, the registry and what it printed', async () => {
    await writeFakeCredentialHelper(directory, 'broken', {
      fail: { exitCode: 3, stderr: 'keychain is locked' },
    });
    const error = await rejection(getFromCredentialHelper('broken', 'ghcr.io', { env, registry: 'ghcr.io' }));
    expect(error.code).toBe('AUTH_CREDENTIAL_HELPER_FAILED');
    expect(error.message).toContain('docker-credential-broken');
    expect(error.message).toContain('ghcr.io');
    expect(error.message).toContain('exited with code 3');
    expect(error.message).toContain('keychain is locked');
    expect(error.details).toEqual({ helper: 'docker-credential-broken', registry: 'ghcr.io' });
  });

  it('treats the protocol error on stdout of a failing helper as its message', async () => {
    await writeFakeCredentialHelper(directory, 'stdout', {
      fail: { exitCode: 1, stdout: 'no credentials server URL' },
    });
    const error = await rejection(getFromCredentialHelper('stdout', 'ghcr.io', { env, registry: 'ghcr.io' }));
    expect(error.message).toContain('no credentials server URL');
  });

  it('never repeats output that may contain the secret when the answer is not JSON', async () => {
    const path = join(directory, 'docker-credential-garbled');
    await writeFile(
      path,
      '#!/bin/sh\ncat >/dev/null\nprintf \'{"Username":"alice","Secret":"hunter2-secret"\'\n',
    );
    await chmod(path, 0o755);
    const error = await rejection(
      getFromCredentialHelper('garbled', 'ghcr.io', { env, registry: 'ghcr.io' }),
    );
    expect(error.code).toBe('AUTH_CREDENTIAL_HELPER_FAILED');
    expect(error.message).toContain('not JSON');
    expect(JSON.stringify(error.toJSON())).not.toContain('hunter2');
    expect(error.cause).toBeUndefined();
  });

  it('does not repeat a JSON object a failing helper printed, and keeps Airlock secrets from helpers', async () => {
    const path = join(directory, 'docker-credential-odd');
    await writeFile(
      path,
      '#!/bin/sh\ncat >/dev/null\nprintf \'{"Username":"u","Secret":"hunter2-%s"}\' "${AIRLOCK_REGISTRY_AUTH:-none}"\nexit 1\n',
    );
    await chmod(path, 0o755);
    const error = await rejection(
      getFromCredentialHelper('odd', 'ghcr.io', {
        env: { ...env, AIRLOCK_REGISTRY_AUTH: '{}' },
        registry: 'ghcr.io',
      }),
    );
    expect(error.message).toContain('exited with code 1');
    expect(error.message).not.toContain('hunter2');
  });

  it('reports a helper killed by a signal', async () => {
    const path = join(directory, 'docker-credential-crash');
    await writeFile(path, '#!/bin/sh\nkill -SEGV $$\n');
    await chmod(path, 0o755);
    const error = await rejection(getFromCredentialHelper('crash', 'ghcr.io', { env, registry: 'ghcr.io' }));
    expect(error.message).toContain('was killed by SIGSEGV');
  });

  it('passes the environment, without AIRLOCK_REGISTRY_AUTH, to the helper', async () => {
    const path = join(directory, 'docker-credential-env');
    await writeFile(
      path,
      '#!/bin/sh\ncat >/dev/null\nprintf \'{"Username":"%s","Secret":"%s"}\' "$HELPER_USER" "${AIRLOCK_REGISTRY_AUTH:-withheld}"\n',
    );
    await chmod(path, 0o755);
    const credential = await getFromCredentialHelper('env', 'ghcr.io', {
      env: { ...env, HELPER_USER: 'from-env', AIRLOCK_REGISTRY_AUTH: 'secret' },
      registry: 'ghcr.io',
    });
    expect(credential).toEqual({ kind: 'basic', username: 'from-env', password: 'withheld' });
  });

  it('says so when the helper is not on the PATH', async () => {
    const error = await rejection(getFromCredentialHelper('absent', 'ghcr.io', { env, registry: 'ghcr.io' }));
    expect(error.code).toBe('AUTH_CREDENTIAL_HELPER_FAILED');
    expect(error.message).toContain('docker-credential-absent is not installed');
  });

  it('kills a helper that does not answer in time', async () => {
    const pidFile = join(directory, 'pid');
    await writeFakeCredentialHelper(directory, 'hangs', { hang: true, pidFile });
    const started = Date.now();
    const error = await rejection(
      getFromCredentialHelper('hangs', 'ghcr.io', { env, registry: 'ghcr.io', timeoutMs: 300 }),
    );
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(error.code).toBe('AUTH_CREDENTIAL_HELPER_FAILED');
    expect(error.message).toContain('did not answer within 300 ms');
    const pid = Number((await readFile(pidFile, 'utf8')).trim());
    await expect.poll(() => isAlive(pid), { timeout: 2_000 }).toBe(false);
  });

  it('stops waiting and kills the helper when the caller aborts', async () => {
    const pidFile = join(directory, 'pid');
    await writeFakeCredentialHelper(directory, 'hangs', { hang: true, pidFile });
    const controller = new AbortController();
    const pending = getFromCredentialHelper('hangs', 'ghcr.io', {
      env,
      registry: 'ghcr.io',
      signal: controller.signal,
    });
    await expect.poll(() => readFile(pidFile, 'utf8').catch(() => ''), { timeout: 5_000 }).not.toBe('');
    controller.abort();
    const error = await rejection(pending);
    expect(error.code).toBe('ABORTED');
    const pid = Number((await readFile(pidFile, 'utf8')).trim());
    await expect.poll(() => isAlive(pid), { timeout: 2_000 }).toBe(false);
  });

  it('does not start a helper for an already aborted signal', async () => {
    const callLog = join(directory, 'calls');
    await writeFakeCredentialHelper(directory, 'unused', { callLog });
    const error = await rejection(
      getFromCredentialHelper('unused', 'ghcr.io', { env, registry: 'ghcr.io', signal: AbortSignal.abort() }),
    );
    expect(error.code).toBe('ABORTED');
    await expect(readFile(callLog, 'utf8')).rejects.toThrow();
  });
});
