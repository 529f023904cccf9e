import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CredentialFileStore } from './credential-file-store.js';
import { defaultCredentialProvider } from './default-provider.js';

let home: string;

beforeEach(async () => {
  home = await mkdtemp(join(tmpdir(), 'airlock-home-'));
});

afterEach(async () => {
  await rm(home, { recursive: true, force: true });
});

const basic = (username: string) => ({ auth: Buffer.from(`${username}:x`).toString('base64') });

describe('defaultCredentialProvider', () => {
  it('prefers explicit configuration, then the environment, then Airlock’s store, then docker/podman files', async () => {
    await mkdir(join(home, '.docker'), { recursive: true });
    await writeFile(
      join(home, '.docker', 'config.json'),
      JSON.stringify({
        auths: {
          'a.example': basic('docker'),
          'b.example': basic('docker'),
          'c.example': basic('docker'),
          'd.example': basic('docker'),
        },
      }),
    );
    const env = {
      HOME: home,
      AIRLOCK_REGISTRY_AUTH: JSON.stringify({
        'a.example': { username: 'env', password: 'x' },
        'b.example': { username: 'env', password: 'x' },
      }),
    };
    await new CredentialFileStore({ env }).save('a.example', {
      kind: 'basic',
      username: 'store',
      password: 'x',
    });
    await new CredentialFileStore({ env }).save('b.example', {
      kind: 'basic',
      username: 'store',
      password: 'x',
    });
    await new CredentialFileStore({ env }).save('c.example', {
      kind: 'basic',
      username: 'store',
      password: 'x',
    });

    const provider = defaultCredentialProvider({
      env,
      credentials: { 'a.example': { kind: 'basic', username: 'explicit', password: 'x' } },
    });
    expect(await provider.get('a.example')).toMatchObject({ username: 'explicit' });
    expect(await provider.get('b.example')).toMatchObject({ username: 'env' });
    expect(await provider.get('c.example')).toMatchObject({ username: 'store' });
    expect(await provider.get('d.example')).toMatchObject({ username: 'docker' });
    expect(await provider.get('e.example')).toBeUndefined();

    const withoutDocker = defaultCredentialProvider({ env, dockerConfig: false });
    expect(await withoutDocker.get('d.example')).toBeUndefined();
  });
});
