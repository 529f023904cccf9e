import { spawn } from 'node:child_process';
import {
  chmod,
  lstat,
  mkdir,
  mkdtemp,
  readFile,
  readdir,
  rm,
  stat,
  symlink,
  writeFile,
} from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AppError } from '../../../kernel/index.js';
import { CredentialFileStore } from './credential-file-store.js';

let root: string;
let path: string;

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'airlock-store-'));
  path = join(root, 'config', 'airlock', 'auth.json');
});

afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

const modeOf = async (p: string) => (await stat(p)).mode & 0o777;
const readJson = async (p: string): Promise<unknown> => JSON.parse(await readFile(p, 'utf8'));

async function rejection(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AppError);
  return error as AppError;
}

describe('CredentialFileStore', () => {
  it('round-trips every kind of credential in the docker config.json format', async () => {
    const store = new CredentialFileStore({ path });
    await store.save('ghcr.io', { kind: 'basic', username: 'alice', password: 'p:a:s:s' });
    await store.save('myacr.azurecr.io', { kind: 'identity-token', username: 'svc', token: 'refresh' });
    await store.save('harbor.example:8443', { kind: 'identity-token', token: 'refresh-2' });
    await store.save('https://index.docker.io/v1/', { kind: 'registry-token', token: 'bearer' });

    const reopened = new CredentialFileStore({ path });
    expect(await reopened.get('ghcr.io')).toEqual({ kind: 'basic', username: 'alice', password: 'p:a:s:s' });
    expect(await reopened.get('myacr.azurecr.io')).toEqual({
      kind: 'identity-token',
      username: 'svc',
      token: 'refresh',
    });
    expect(await reopened.get('harbor.example:8443')).toEqual({ kind: 'identity-token', token: 'refresh-2' });
    expect(await reopened.get('registry-1.docker.io')).toEqual({ kind: 'registry-token', token: 'bearer' });
    expect(await reopened.list()).toEqual([
      'docker.io',
      'ghcr.io',
      'harbor.example:8443',
      'myacr.azurecr.io',
    ]);
    expect(await readJson(path)).toEqual({
      auths: {
        'ghcr.io': { auth: Buffer.from('alice:p:a:s:s').toString('base64') },
        'myacr.azurecr.io': { auth: Buffer.from('svc:').toString('base64'), identitytoken: 'refresh' },
        'harbor.example:8443': { identitytoken: 'refresh-2' },
        'docker.io': { registrytoken: 'bearer' },
      },
    });
  });

  it('answers nothing, and lists nothing, before the file exists', async () => {
    const store = new CredentialFileStore({ path });
    expect(await store.get('ghcr.io')).toBeUndefined();
    expect(await store.list()).toEqual([]);
    expect(await store.remove('ghcr.io')).toBe(false);
    await expect(stat(path)).rejects.toThrow();
  });

  it('creates the file with mode 0600 in a directory with mode 0700', async () => {
    const store = new CredentialFileStore({ path });
    await store.save('ghcr.io', { kind: 'basic', username: 'alice', password: 'x' });
    expect(await modeOf(path)).toBe(0o600);
    expect(await modeOf(join(root, 'config', 'airlock'))).toBe(0o700);
  });

  it('tightens the mode of an existing file', async () => {
    await mkdir(join(root, 'config', 'airlock'), { recursive: true });
    await writeFile(path, '{"auths":{}}');
    await chmod(path, 0o644);
    await new CredentialFileStore({ path }).save('ghcr.io', {
      kind: 'basic',
      username: 'alice',
      password: 'x',
    });
    expect(await modeOf(path)).toBe(0o600);
  });

  it('keeps top-level keys and entries it does not manage', async () => {
    const foreign = {
      credsStore: 'desktop',
      HttpHeaders: { 'User-Agent': 'custom' },
      auths: { 'quay.io': { auth: Buffer.from('bob:x').toString('base64'), email: 'bob@example.com' } },
      currentContext: 'default',
    };
    await mkdir(join(root, 'config', 'airlock'), { recursive: true });
    await writeFile(path, JSON.stringify(foreign));
    const store = new CredentialFileStore({ path });
    await store.save('ghcr.io', { kind: 'basic', username: 'alice', password: 'x' });
    expect(await store.remove('ghcr.io')).toBe(true);
    expect(await readJson(path)).toEqual(foreign);
  });

  it('replaces and removes an entry under whatever key form it was written', async () => {
    await mkdir(join(root, 'config', 'airlock'), { recursive: true });
    await writeFile(
      path,
      JSON.stringify({
        auths: {
          'https://index.docker.io/v1/': { auth: Buffer.from('old:x').toString('base64') },
          'index.docker.io': { auth: Buffer.from('older:x').toString('base64') },
          'ghcr.io': { auth: Buffer.from('keep:x').toString('base64') },
        },
      }),
    );
    const store = new CredentialFileStore({ path });
    await store.save('docker.io', { kind: 'basic', username: 'new', password: 'y' });
    expect(Object.keys((await readJson(path)) as { auths: object }).length).toBe(1);
    expect(Object.keys(((await readJson(path)) as { auths: object }).auths).sort()).toEqual([
      'docker.io',
      'ghcr.io',
    ]);
    expect(await store.get('docker.io')).toMatchObject({ username: 'new' });
    expect(await store.remove('registry-1.docker.io')).toBe(true);
    expect(await store.remove('docker.io')).toBe(false);
    expect(await store.list()).toEqual(['ghcr.io']);
  });

  it('refuses to overwrite a malformed file and names it', async () => {
    await mkdir(join(root, 'config', 'airlock'), { recursive: true });
    const broken = '{"auths": {"ghcr.io": {"auth": "c2VjcmV0"}';
    await writeFile(path, broken);
    const store = new CredentialFileStore({ path });
    const error = await rejection(store.save('quay.io', { kind: 'basic', username: 'a', password: 'b' }));
    expect(error.code).toBe('AUTH_CONFIG_INVALID');
    expect(error.message).toContain(path);
    expect(error.message).not.toContain('c2VjcmV0');
    expect(await readFile(path, 'utf8')).toBe(broken);
  });

  it('refuses names that are not registries and usernames it cannot store', async () => {
    const store = new CredentialFileStore({ path });
    const scoped = await rejection(
      store.save('ghcr.io/org/app', { kind: 'basic', username: 'a', password: 'b' }),
    );
    expect(scoped.code).toBe('USAGE_INVALID');
    const colon = await rejection(store.save('ghcr.io', { kind: 'basic', username: 'a:b', password: 'c' }));
    expect(colon.code).toBe('USAGE_INVALID');
    await expect(stat(path)).rejects.toThrow();
  });

  it('writes through a symbolic link instead of replacing it', async () => {
    const real = join(root, 'dotfiles', 'auth.json');
    await mkdir(join(root, 'dotfiles'), { recursive: true });
    await mkdir(join(root, 'config', 'airlock'), { recursive: true });
    await writeFile(real, '{}');
    await symlink(real, path);
    await new CredentialFileStore({ path }).save('ghcr.io', {
      kind: 'basic',
      username: 'alice',
      password: 'x',
    });
    expect((await lstat(path)).isSymbolicLink()).toBe(true);
    expect(await readJson(real)).toMatchObject({ auths: { 'ghcr.io': {} } });
  });

  it('locates its file from AIRLOCK_CONFIG_DIR, XDG_CONFIG_HOME or the home directory', () => {
    expect(
      new CredentialFileStore({ env: { AIRLOCK_CONFIG_DIR: '/a', XDG_CONFIG_HOME: '/x', HOME: '/h' } }).path,
    ).toBe(join('/a', 'auth.json'));
    expect(new CredentialFileStore({ env: { XDG_CONFIG_HOME: '/x', HOME: '/h' } }).path).toBe(
      join('/x', 'airlock', 'auth.json'),
    );
    expect(new CredentialFileStore({ env: { HOME: '/h' } }).path).toBe(
      join('/h', '.config', 'airlock', 'auth.json'),
    );
    expect(new CredentialFileStore({ env: {}, homeDir: '/home/x' }).path).toBe(
      join('/home/x', '.config', 'airlock', 'auth.json'),
    );
    expect(() => new CredentialFileStore({ env: {} })).toThrow(AppError);
  });
});

describe('CredentialFileStore: concurrent changes', () => {
  it('applies parallel saves through one instance one after another, losing none', async () => {
    const store = new CredentialFileStore({ path });
    const registries = Array.from({ length: 40 }, (_, i) => `r${i}.example`);
    await Promise.all(registries.map((r) => store.save(r, { kind: 'basic', username: r, password: 'x' })));
    expect(await store.list()).toEqual([...registries].sort());
  });

  it('never lets a reader see a partial file while independent writers race', async () => {
    // A large foreign key makes every rewrite several write(2) calls, so a non-atomic
    // write would be seen half done.
    const padding = 'p'.repeat(4 * 1024 * 1024);
    await mkdir(join(root, 'config', 'airlock'), { recursive: true });
    await writeFile(path, JSON.stringify({ padding }));
    const writers = Array.from({ length: 8 }, async (_, writer) => {
      const store = new CredentialFileStore({ path });
      for (let i = 0; i < 4; i++) {
        await store.save(`w${writer}-${i}.example`, {
          kind: 'basic',
          username: `user-${writer}`,
          password: 'x',
        });
      }
    });
    let done = false;
    let reads = 0;
    const reader = (async () => {
      while (!done) {
        const document = JSON.parse(await readFile(path, 'utf8')) as { padding: string };
        expect(document.padding).toBe(padding);
        reads++;
      }
    })();
    await Promise.all(writers);
    done = true;
    await reader;
    expect(reads).toBeGreaterThan(1);
    const store = new CredentialFileStore({ path });
    const registries = await store.list();
    expect(registries.length).toBeGreaterThan(0);
    for (const registry of registries) {
      const writer = /^w(\d)-\d\.example$/.exec(registry)?.[1];
      expect(await store.get(registry)).toEqual({ kind: 'basic', username: `user-${writer}`, password: 'x' });
    }
    expect((await readdir(join(root, 'config', 'airlock'))).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('leaves a valid file when several processes save at once (last writer wins)', async () => {
    // Every save reads the file first, so a process that saw a half-written file would fail.
    const padding = 'p'.repeat(2 * 1024 * 1024);
    await mkdir(join(root, 'config', 'airlock'), { recursive: true });
    await writeFile(path, JSON.stringify({ padding }));
    const moduleUrl = new URL('./credential-file-store.ts', import.meta.url).href;
    const script = join(root, 'save.mjs');
    await writeFile(
      script,
      [
        `const { CredentialFileStore } = await import(${JSON.stringify(moduleUrl)});`,
        'const [path, id] = process.argv.slice(2);',
        'const store = new CredentialFileStore({ path });',
        'for (let i = 0; i < 10; i++) {',
        '  await store.save(`p${id}-${i}.example`, { kind: "basic", username: `u${id}`, password: "secret" });',
        '}',
      ].join('\n'),
    );
    const projectRoot = fileURLToPath(new URL('../../../../', import.meta.url));
    const runs = Array.from({ length: 6 }, (_, id) =>
      runNode(['--import', 'tsx', script, path, String(id)], projectRoot),
    );
    const results = await Promise.all(runs);
    expect(results.map((r) => r.stderr)).toEqual(results.map(() => ''));
    expect(results.map((r) => r.code)).toEqual(results.map(() => 0));

    const document = (await readJson(path)) as { padding: string; auths: Record<string, { auth: string }> };
    expect(document.padding).toBe(padding);
    const keys = Object.keys(document.auths);
    expect(keys.length).toBeGreaterThan(0);
    for (const key of keys) {
      const id = /^p(\d)-\d\.example$/.exec(key)?.[1];
      expect(id).toBeDefined();
      expect(Buffer.from(document.auths[key]!.auth, 'base64').toString()).toBe(`u${id}:secret`);
    }
    expect(await modeOf(path)).toBe(0o600);
    expect((await readdir(join(root, 'config', 'airlock'))).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });
});

function runNode(args: string[], cwd: string): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stderr }));
  });
}
