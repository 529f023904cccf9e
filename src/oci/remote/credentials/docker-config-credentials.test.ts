import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AppError } from '../../../kernel/index.js';
import { DockerConfigCredentials, type DockerConfigCredentialsOptions } from './docker-config-credentials.js';
import { helperDirectory, writeFakeCredentialHelper } from './testing/fake-credential-helper.js';

let root: string;
let helpers: { directory: string; path: string };

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'airlock-docker-config-'));
  helpers = await helperDirectory();
});

afterEach(async () => {
  await rm(root, { recursive: true, force: true });
  await rm(helpers.directory, { recursive: true, force: true });
});

const b64 = (text: string) => Buffer.from(text).toString('base64');

async function writeJson(path: string, value: unknown): Promise<string> {
  await mkdir(join(path, '..'), { recursive: true });
  await writeFile(path, typeof value === 'string' ? value : JSON.stringify(value, null, 2));
  return path;
}

/** A provider that reads only `config` as Docker's config.json, with the fake helpers on its PATH. */
async function dockerConfig(config: unknown, options: DockerConfigCredentialsOptions = {}) {
  const path = await writeJson(join(root, 'docker', 'config.json'), config);
  return new DockerConfigCredentials({
    env: { PATH: helpers.path },
    dockerConfigPath: path,
    containersAuthPaths: [],
    ...options,
  });
}

async function rejection(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AppError);
  return error as AppError;
}

describe('DockerConfigCredentials: auths entries', () => {
  it('decodes auth as user:password, keeping colons in the password', async () => {
    const provider = await dockerConfig({ auths: { 'ghcr.io': { auth: b64('alice:pa:ss:word') } } });
    expect(await provider.get('ghcr.io')).toEqual({
      kind: 'basic',
      username: 'alice',
      password: 'pa:ss:word',
    });
  });

  it('normalises keys written as URLs and with API paths to registry names', async () => {
    const provider = await dockerConfig({
      auths: {
        'https://index.docker.io/v1/': { auth: b64('hub:one') },
        'http://localhost:5000': { auth: b64('local:two') },
        'registry.example.com/v2/': { auth: b64('example:three') },
        'Quay.IO': { auth: b64('quay:four') },
      },
    });
    expect(await provider.get('docker.io')).toMatchObject({ username: 'hub' });
    expect(await provider.get('index.docker.io')).toMatchObject({ username: 'hub' });
    expect(await provider.get('registry-1.docker.io')).toMatchObject({ username: 'hub' });
    expect(await provider.get('localhost:5000')).toMatchObject({ username: 'local' });
    expect(await provider.get('registry.example.com')).toMatchObject({ username: 'example' });
    expect(await provider.get('quay.io')).toMatchObject({ username: 'quay' });
    expect(await provider.get('localhost:5001')).toBeUndefined();
  });

  it("prefers Docker's legacy Docker Hub key over other spellings, wherever it is in the file", async () => {
    const provider = await dockerConfig({
      auths: {
        'docker.io': { auth: b64('podman-style:x') },
        'https://index.docker.io/v1/': { auth: b64('docker-style:y') },
        'registry-1.docker.io': { auth: b64('other:z') },
      },
    });
    expect(await provider.get('docker.io')).toMatchObject({ username: 'docker-style' });
  });

  it('reads username/password fields, identity tokens and registry tokens', async () => {
    const provider = await dockerConfig({
      auths: {
        'a.example': { username: 'u', password: 'p' },
        'b.example': { auth: b64('00000000-0000-0000-0000-000000000000:'), identitytoken: 'refresh' },
        'c.example': { identityToken: 'no-user' },
        'd.example': { registrytoken: 'bearer', auth: b64('ignored:x') },
        'e.example': { email: 'someone@example.com' },
        'f.example': {},
      },
    });
    expect(await provider.get('a.example')).toEqual({ kind: 'basic', username: 'u', password: 'p' });
    expect(await provider.get('b.example')).toEqual({
      kind: 'identity-token',
      username: '00000000-0000-0000-0000-000000000000',
      token: 'refresh',
    });
    expect(await provider.get('c.example')).toEqual({ kind: 'identity-token', token: 'no-user' });
    expect(await provider.get('d.example')).toEqual({ kind: 'registry-token', token: 'bearer' });
    expect(await provider.get('e.example')).toBeUndefined();
    expect(await provider.get('f.example')).toBeUndefined();
  });

  it('answers undefined when the file does not exist', async () => {
    const provider = new DockerConfigCredentials({
      env: {},
      dockerConfigPath: join(root, 'missing', 'config.json'),
      containersAuthPaths: [join(root, 'also-missing.json')],
    });
    expect(await provider.get('ghcr.io')).toBeUndefined();
  });

  it('treats an empty file as an empty configuration', async () => {
    const provider = await dockerConfig('  \n');
    expect(await provider.get('ghcr.io')).toBeUndefined();
  });
});

describe('DockerConfigCredentials: malformed files', () => {
  it('names the file and the position of a JSON syntax error, and nothing of the content', async () => {
    const text = '{\n  "auths": {\n    "ghcr.io": { "auth": "c2VjcmV0LXZhbHVl" }\n  \n}';
    const provider = await dockerConfig(text);
    const error = await rejection(provider.get('ghcr.io'));
    expect(error.code).toBe('AUTH_CONFIG_INVALID');
    expect(error.message).toContain(join(root, 'docker', 'config.json'));
    expect(error.message).toMatch(/is not valid JSON: .*at line 5, column 2/);
    expect(error.message).not.toContain('c2VjcmV0');
    expect(error.cause).toBeUndefined();
  });

  it('names the entry and field of an invalid auth value, and still answers for other registries', async () => {
    const provider = await dockerConfig({
      auths: { 'broken.example': { auth: 'not base64!' }, 'ghcr.io': { auth: b64('alice:x') } },
    });
    const error = await rejection(provider.get('broken.example'));
    expect(error.code).toBe('AUTH_CONFIG_INVALID');
    expect(error.message).toContain('auths["broken.example"].auth is not valid base64');
    expect(await provider.get('ghcr.io')).toMatchObject({ username: 'alice' });
  });

  it('rejects an auth value without a colon and fields of the wrong type', async () => {
    const provider = await dockerConfig({
      auths: { 'a.example': { auth: b64('nocolon') }, 'b.example': { username: 42 } },
    });
    expect((await rejection(provider.get('a.example'))).message).toContain(
      'auths["a.example"].auth must be base64 of',
    );
    expect((await rejection(provider.get('b.example'))).message).toContain(
      'auths["b.example"].username must be a string',
    );
  });

  it('rejects a structure that is not the config.json format', async () => {
    const notObject = await dockerConfig({ auths: [] });
    expect((await rejection(notObject.get('ghcr.io'))).message).toContain('"auths" must be a JSON object');
    const badHelper = await dockerConfig({ credHelpers: { 'gcr.io': '../../bin/sh' } });
    const error = await rejection(badHelper.get('gcr.io'));
    expect(error.message).toContain('credHelpers["gcr.io"] must be the name of a credential helper');
  });
});

describe('DockerConfigCredentials: credential helpers', () => {
  it('follows docker/cli precedence: credHelpers, then credsStore, then auths', async () => {
    await writeFakeCredentialHelper(helpers.directory, 'special', {
      answers: { 'gcr.io': { username: 'from-credhelpers', secret: 's1' } },
    });
    await writeFakeCredentialHelper(helpers.directory, 'store', {
      answers: {
        'gcr.io': { username: 'store-for-gcr', secret: 's2' },
        'ghcr.io': { username: 'from-credsstore', secret: 's3' },
      },
    });
    const config = {
      credHelpers: { 'gcr.io': 'special' },
      credsStore: 'store',
      auths: {
        'gcr.io': { auth: b64('from-auths:x') },
        'ghcr.io': { auth: b64('from-auths:x') },
        'quay.io': { auth: b64('from-auths:x') },
      },
    };
    const provider = await dockerConfig(config);
    expect(await provider.get('gcr.io')).toMatchObject({ username: 'from-credhelpers' });
    expect(await provider.get('ghcr.io')).toMatchObject({ username: 'from-credsstore' });
    // As in docker/cli's native store, a responsible helper's "not found" is the answer.
    expect(await provider.get('quay.io')).toBeUndefined();

    const withoutHelpers = await dockerConfig(config, { credentialHelpers: false });
    expect(await withoutHelpers.get('gcr.io')).toMatchObject({ username: 'from-auths' });
  });

  it("asks a helper for Docker Hub under Docker's key first, then the other spellings", async () => {
    const callLog = join(root, 'calls');
    await writeFakeCredentialHelper(helpers.directory, 'podman-style', {
      callLog,
      answers: { 'docker.io': { username: 'hub-user', secret: 'x' } },
    });
    const provider = await dockerConfig({ credsStore: 'podman-style' });
    expect(await provider.get('index.docker.io')).toMatchObject({ username: 'hub-user' });
    expect((await readFile(callLog, 'utf8')).split('\n')).toEqual([
      'https://index.docker.io/v1/',
      'docker.io',
      '',
    ]);
  });

  it('honours credHelpers keyed by a URL', async () => {
    await writeFakeCredentialHelper(helpers.directory, 'hub', {
      answers: { 'https://index.docker.io/v1/': { username: '<token>', secret: 'refresh' } },
    });
    const provider = await dockerConfig({ credHelpers: { 'https://index.docker.io/v1/': 'hub' } });
    expect(await provider.get('docker.io')).toEqual({ kind: 'identity-token', token: 'refresh' });
  });

  it('runs a helper once per registry, also for concurrent requests', async () => {
    const callLog = join(root, 'calls');
    await writeFakeCredentialHelper(helpers.directory, 'counted', {
      callLog,
      answers: { 'ghcr.io': { username: 'alice', secret: 'x' } },
    });
    const provider = await dockerConfig({ credsStore: 'counted' });
    const answers = await Promise.all([1, 2, 3, 4, 5].map(() => provider.get('ghcr.io')));
    expect(new Set(answers.map((a) => JSON.stringify(a))).size).toBe(1);
    expect(await provider.get('GHCR.io')).toMatchObject({ username: 'alice' });
    expect(await provider.get('quay.io')).toBeUndefined();
    expect(await provider.get('quay.io')).toBeUndefined();
    expect(await readFile(callLog, 'utf8')).toBe('ghcr.io\nquay.io\n');
  });

  it('reports a failing helper and tries again on the next request', async () => {
    await writeFakeCredentialHelper(helpers.directory, 'flaky', { fail: { exitCode: 1, stderr: 'locked' } });
    const provider = await dockerConfig({ credsStore: 'flaky' });
    const error = await rejection(provider.get('ghcr.io'));
    expect(error.code).toBe('AUTH_CREDENTIAL_HELPER_FAILED');
    expect(error.message).toContain('docker-credential-flaky');
    await writeFakeCredentialHelper(helpers.directory, 'flaky', {
      answers: { 'ghcr.io': { username: 'alice', secret: 'x' } },
    });
    expect(await provider.get('ghcr.io')).toMatchObject({ username: 'alice' });
  });

  it('applies the helper time-out', async () => {
    await writeFakeCredentialHelper(helpers.directory, 'slow', { hang: true });
    const provider = await dockerConfig({ credsStore: 'slow' }, { helperTimeoutMs: 200 });
    const error = await rejection(provider.get('ghcr.io'));
    expect(error.code).toBe('AUTH_CREDENTIAL_HELPER_FAILED');
    expect(error.message).toContain('did not answer within 200 ms');
  });

  it('lets a caller abort while the helper runs', async () => {
    await writeFakeCredentialHelper(helpers.directory, 'slow', { hang: true });
    const provider = await dockerConfig({ credsStore: 'slow' });
    const error = await rejection(provider.get('ghcr.io', { signal: AbortSignal.timeout(200) }));
    expect(error.code).toBe('ABORTED');
  });
});

describe('DockerConfigCredentials: files and caching', () => {
  it('reads each file once for the lifetime of the instance', async () => {
    const provider = await dockerConfig({ auths: { 'ghcr.io': { auth: b64('first:x') } } });
    expect(await provider.get('ghcr.io')).toMatchObject({ username: 'first' });
    await writeJson(join(root, 'docker', 'config.json'), {
      auths: { 'ghcr.io': { auth: b64('second:x') }, 'quay.io': { auth: b64('new:x') } },
    });
    expect(await provider.get('quay.io')).toBeUndefined();
  });

  it('finds the files through DOCKER_CONFIG, REGISTRY_AUTH_FILE and XDG variables of the given env', async () => {
    await writeJson(join(root, 'dc', 'config.json'), {
      auths: { 'docker.example': { auth: b64('docker:x') } },
    });
    await writeJson(join(root, 'explicit.json'), {
      auths: { 'explicit.example': { auth: b64('explicit:x') } },
    });
    await writeJson(join(root, 'cfg', 'containers', 'auth.json'), {
      auths: { 'config-home.example': { auth: b64('config-home:x') } },
    });
    const provider = new DockerConfigCredentials({
      env: {
        DOCKER_CONFIG: join(root, 'dc'),
        REGISTRY_AUTH_FILE: join(root, 'explicit.json'),
        XDG_RUNTIME_DIR: join(root, 'runtime-is-overridden'),
        XDG_CONFIG_HOME: join(root, 'cfg'),
      },
    });
    expect(provider.sources).toEqual([
      { path: join(root, 'explicit.json'), format: 'containers' },
      { path: join(root, 'cfg', 'containers', 'auth.json'), format: 'containers' },
      { path: join(root, 'dc', 'config.json'), format: 'docker' },
    ]);
    expect(await provider.get('docker.example')).toMatchObject({ username: 'docker' });
    expect(await provider.get('explicit.example')).toMatchObject({ username: 'explicit' });
    expect(await provider.get('config-home.example')).toMatchObject({ username: 'config-home' });
  });

  it('derives default locations from HOME and XDG_RUNTIME_DIR, and reads nothing without them', () => {
    const home = join(root, 'home');
    expect(
      new DockerConfigCredentials({ env: { HOME: home, XDG_RUNTIME_DIR: '/run/user/1' } }).sources,
    ).toEqual([
      { path: join('/run/user/1', 'containers', 'auth.json'), format: 'containers' },
      { path: join(home, '.config', 'containers', 'auth.json'), format: 'containers' },
      { path: join(home, '.docker', 'config.json'), format: 'docker' },
    ]);
    expect(new DockerConfigCredentials({ env: {} }).sources).toEqual([]);
  });

  it('searches containers auth files before config.json, as containers-auth.json(5) specifies', async () => {
    const containers = await writeJson(join(root, 'auth.json'), {
      auths: { 'ghcr.io': { auth: b64('podman:x') }, 'quay.io/team/app': { auth: b64('scoped:x') } },
      credsStore: 'not-a-containers-field',
    });
    const docker = await writeJson(join(root, 'config.json'), {
      auths: { 'ghcr.io': { auth: b64('docker:x') }, 'quay.io': { auth: b64('docker-quay:x') } },
    });
    const provider = new DockerConfigCredentials({
      env: { PATH: helpers.path },
      dockerConfigPath: docker,
      containersAuthPaths: [containers],
    });
    expect(await provider.get('ghcr.io')).toMatchObject({ username: 'podman' });
    // A namespaced key applies to some repositories only; the registry-wide answer comes from config.json.
    expect(await provider.get('quay.io')).toMatchObject({ username: 'docker-quay' });
  });

  it('falls through to the next file when a containers credHelpers entry has nothing', async () => {
    await writeFakeCredentialHelper(helpers.directory, 'empty', {});
    const containers = await writeJson(join(root, 'auth.json'), { credHelpers: { 'ghcr.io': 'empty' } });
    const docker = await writeJson(join(root, 'config.json'), {
      auths: { 'ghcr.io': { auth: b64('docker:x') } },
    });
    const provider = new DockerConfigCredentials({
      env: { PATH: helpers.path },
      dockerConfigPath: docker,
      containersAuthPaths: [containers],
    });
    expect(await provider.get('ghcr.io')).toMatchObject({ username: 'docker' });
  });
});
