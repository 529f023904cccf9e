import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { promisify } from 'node:util';
import { Agent, request } from 'undici';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { hashPassword } from '../../../src/registry/index.js';
import { RegistrySession } from '../../../src/oci/remote/index.js';
import { describeBytes } from '../../../src/oci/manifest/index.js';
import { StaticCredentials } from '../../../src/oci/remote/credentials/index.js';
import { type AirlockRegistry, startAirlockRegistry } from '../../harness/airlock-registry.js';
import {
  hasTool,
  makeTempDir,
  requireTools,
  skopeoCopy,
  skopeoInspectRaw,
  type TempDir,
} from '../../harness/index.js';
import { makeImage, writeLayout } from './support/fixtures.js';

const describeWith = requireTools('openssl');

describeWith('the registry over HTTPS', () => {
  let dir: TempDir;
  let registry: AirlockRegistry;
  const insecure = new Agent({ connect: { rejectUnauthorized: false } });

  beforeAll(async () => {
    dir = await makeTempDir('registry-tls');
    await promisify(execFile)('openssl', [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:P-256',
      '-nodes',
      '-days',
      '1',
      '-subj',
      '/CN=127.0.0.1',
      '-addext',
      'subjectAltName=IP:127.0.0.1',
      '-keyout',
      join(dir.path, 'key.pem'),
      '-out',
      join(dir.path, 'cert.pem'),
    ]);
    registry = await startAirlockRegistry({
      config: {
        tls: { certFile: join(dir.path, 'cert.pem'), keyFile: join(dir.path, 'key.pem') },
        auth: { users: [{ name: 'ci', passwordHash: await hashPassword('ci-secret') }] },
      },
    });
  });
  afterAll(async () => {
    await registry?.stop();
    await dir?.remove();
    await insecure.close();
  });

  it('serves HTTPS and points the token realm at https', async () => {
    expect(registry.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    const response = await request(`${registry.url}/v2/`, { dispatcher: insecure });
    await response.body.dump();
    expect(response.statusCode).toBe(401);
    expect(response.headers['www-authenticate']).toBe(
      `Bearer realm="${registry.url}/token",service="airlock-registry"`,
    );
  });

  it("is found to speak HTTPS by Airlock's client, though a loopback registry is asked over plain HTTP first", async () => {
    const session = new RegistrySession({
      insecure: [registry.address],
      credentials: new StaticCredentials({
        [registry.address]: { kind: 'basic', username: 'ci', password: 'ci-secret' },
      }),
    });
    try {
      await session.ping(registry.address);
      const bytes = Buffer.from('probed over https\n');
      const blob = describeBytes(bytes, 'application/octet-stream');
      const repository = await session.repository({ registry: registry.address, repository: 'tls/probe' });
      await repository.pushBlob(blob, Readable.from([bytes]));
      expect(await repository.blobExists(blob)).toBe(true);
    } finally {
      await session.close();
    }
  });

  it.runIf(hasTool('skopeo'))('works with skopeo and credentials over TLS', async () => {
    const image = await makeImage({ seed: 130 });
    await writeLayout(join(dir.path, 'layout'), { image });
    const creds = { username: 'ci', password: 'ci-secret' };
    await skopeoCopy(`oci:${join(dir.path, 'layout')}:image`, `${registry.address}/tls/app:v1`, {
      destCreds: creds,
    });
    expect((await skopeoInspectRaw(`${registry.address}/tls/app:v1`, { creds })).equals(image.bytes)).toBe(
      true,
    );
  });
});
