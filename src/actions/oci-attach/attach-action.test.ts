import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type Fixture, makeImage, makeLayer, pushFixtureToRegistry } from '../../../test/fixtures/index.js';
import {
  type AirlockRegistry,
  type DockerRegistry,
  type TempDir,
  hasTool,
  makeTempDir,
  startAirlockRegistry,
  startDockerRegistry,
} from '../../../test/harness/index.js';
import { ActionFailure } from '../../engine/actions/contract.js';
import { createTestContext } from '../../engine/actions/testing/context.js';
import { drainStream } from '../../oci/content/index.js';
import { RegistrySession } from '../../oci/remote/index.js';
import { ServiceKey } from '../services.js';
import { type AttachInput, attachAction } from './attach-action.js';

let registry: AirlockRegistry;
let session: RegistrySession;
let temp: TempDir;
let image: Fixture;

const attach = (input: Record<string, unknown>) => {
  const test = createTestContext({ services: { [ServiceKey.registries]: session } });
  return attachAction.run(input as AttachInput, test.context);
};

async function payloadOf(host: string, repository: string, digest: string): Promise<string> {
  const target = await session.repository({ registry: host, repository });
  const manifest = await target.fetchManifest(digest);
  if (manifest.kind !== 'image') throw new Error('expected an image manifest');
  const chunks: Buffer[] = [];
  const stream = await target.fetchBlob(manifest.image.layers[0]!);
  stream.on('data', (chunk: Buffer) => chunks.push(chunk));
  await drainStream(stream);
  return Buffer.concat(chunks).toString('utf8');
}

beforeAll(async () => {
  [registry, temp] = await Promise.all([startAirlockRegistry(), makeTempDir('attach-action')]);
  session = new RegistrySession();
  image = makeImage({ layers: [await makeLayer({ seed: 'attach', size: 1024 })] });
  await pushFixtureToRegistry(image, { host: registry.address, repository: 'att/app', tag: '1' });
});

afterAll(async () => {
  await session?.close();
  await Promise.all([registry?.stop(), temp?.remove()]);
});

it('pushes a JSON artifact that the Referrers API lists for its subject, once however often it runs', async () => {
  const input = {
    subject: `${registry.address}/att/app:1`,
    artifactType: 'application/vnd.example.report+json',
    content: { verdict: 'pass', findings: 0 },
    annotations: { 'org.example.tool': 'test' },
  };
  const first = await attach(input);
  const second = await attach(input);
  expect(second.digest).toBe(first.digest);
  expect(first.subject).toBe(image.root.descriptor.digest);
  expect(attachAction.output.parse(first)).toEqual(first);

  const target = await session.repository({ registry: registry.address, repository: 'att/app' });
  const referrers = await target.listReferrers(image.root.descriptor);
  expect(referrers.map((r) => [r.digest, r.artifactType])).toEqual([
    [first.digest, 'application/vnd.example.report+json'],
  ]);
  const manifest = await target.fetchManifest(first.digest);
  expect(manifest.kind === 'image' && manifest.image).toMatchObject({
    artifactType: 'application/vnd.example.report+json',
    config: { mediaType: 'application/vnd.oci.empty.v1+json' },
    layers: [{ mediaType: 'application/vnd.example.report+json' }],
    subject: { digest: image.root.descriptor.digest },
    annotations: { 'org.example.tool': 'test' },
  });
  expect(JSON.parse(await payloadOf(registry.address, 'att/app', first.digest))).toEqual({
    verdict: 'pass',
    findings: 0,
  });
});

it('pushes a file with its name as the layer title', async () => {
  const file = join(temp.path, 'sbom.spdx.json');
  await writeFile(file, '{"spdxVersion":"SPDX-2.3"}');
  const output = await attach({
    subject: `${registry.address}/att/app@${image.root.descriptor.digest}`,
    artifactType: 'application/spdx+json',
    file,
  });
  const target = await session.repository({ registry: registry.address, repository: 'att/app' });
  const manifest = await target.fetchManifest(output.digest);
  expect(manifest.kind === 'image' && manifest.image.layers[0]!.annotations).toEqual({
    'org.opencontainers.image.title': 'sbom.spdx.json',
  });
  expect(await payloadOf(registry.address, 'att/app', output.digest)).toBe('{"spdxVersion":"SPDX-2.3"}');
});

it('rejects inputs with both or neither payload, and files it cannot read', async () => {
  const subject = `${registry.address}/att/app:1`;
  await expect(attach({ subject, artifactType: 'text/plain' })).rejects.toThrow(
    /give exactly one of content and file/,
  );
  await expect(attach({ subject, artifactType: 'text/plain', content: 'x', file: '/x' })).rejects.toThrow(
    /give exactly one of content and file/,
  );
  await expect(attach({ subject, artifactType: 'not a type', content: 'x' })).rejects.toThrow(
    /artifactType: must be a media type/,
  );
  const failure = (await attach({
    subject,
    artifactType: 'text/plain',
    file: join(temp.path, 'missing.txt'),
  }).catch((e: unknown) => e)) as ActionFailure;
  expect(failure).toBeInstanceOf(ActionFailure);
  expect(failure.retryable).toBe(false);
  expect(failure.message).toMatch(/^file: cannot read ".*missing\.txt": ENOENT/);
});

it.runIf(hasTool('docker-registry'))(
  'keeps the artifact discoverable on a registry without the Referrers API',
  async () => {
    const mirror: DockerRegistry = await startDockerRegistry();
    try {
      await pushFixtureToRegistry(image, { host: mirror.host, repository: 'att/app', tag: '1' });
      const output = await attach({
        subject: `${mirror.host}/att/app:1`,
        artifactType: 'text/plain',
        content: 'scanned',
      });
      const target = await session.repository({ registry: mirror.host, repository: 'att/app' });
      const referrers = await target.listReferrers(image.root.descriptor);
      expect(referrers.map((r) => r.digest)).toEqual([output.digest]);
      expect(await payloadOf(mirror.host, 'att/app', output.digest)).toBe('scanned');
    } finally {
      await mirror.stop();
    }
  },
);
