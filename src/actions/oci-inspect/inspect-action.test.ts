import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  ArtifactType,
  type Fixture,
  makeImage,
  makeIndex,
  makeLayer,
  makeSignatureArtifact,
  pushFixtureToRegistry,
} from '../../../test/fixtures/index.js';
import { type AirlockRegistry, startAirlockRegistry } from '../../../test/harness/index.js';
import { ActionFailure } from '../../engine/actions/contract.js';
import { createTestContext } from '../../engine/actions/testing/context.js';
import { RegistrySession } from '../../oci/remote/index.js';
import { ServiceKey } from '../services.js';
import { type InspectInput, inspectAction } from './inspect-action.js';

let registry: AirlockRegistry;
let session: RegistrySession;
let single: Fixture;
let index: Fixture;
let signature: Fixture;

const inspect = (image: string) => {
  const test = createTestContext({ services: { [ServiceKey.registries]: session } });
  return inspectAction.run({ image } as InspectInput, test.context);
};

beforeAll(async () => {
  registry = await startAirlockRegistry();
  session = new RegistrySession();
  const layer = await makeLayer({ seed: 'inspect', size: 1024 });
  single = makeImage({ layers: [layer], platform: 'linux/arm/v6', annotations: { team: 'platform' } });
  index = makeIndex({
    manifests: [
      makeImage({ layers: [layer], platform: 'linux/amd64' }),
      makeImage({ layers: [layer], platform: 'linux/arm64' }),
      makeImage({ layers: [layer], platform: { os: 'unknown', architecture: 'unknown' } }),
    ],
    annotations: { 'org.opencontainers.image.version': '1.2' },
  });
  signature = makeSignatureArtifact(single);
  const host = registry.address;
  await pushFixtureToRegistry(single, { host, repository: 'inspect/app', tag: 'single' });
  await pushFixtureToRegistry(index, { host, repository: 'inspect/app', tag: 'multi' });
  await pushFixtureToRegistry(signature, { host, repository: 'inspect/app' });
});

afterAll(async () => {
  await session?.close();
  await registry?.stop();
});

it('describes an image manifest with the platform of its config', async () => {
  const output = await inspect(`${registry.address}/inspect/app:single`);
  expect(output).toEqual({
    reference: `${registry.address}/inspect/app:single`,
    digest: single.root.descriptor.digest,
    mediaType: 'application/vnd.oci.image.manifest.v1+json',
    size: single.root.bytes.length,
    platforms: ['linux/arm/v6'],
    annotations: { team: 'platform' },
    manifests: [],
  });
  expect(inspectAction.output.parse(output)).toEqual(output);
});

it('lists the platforms of an index, leaving attestation entries out, and its entries', async () => {
  const output = await inspect(`${registry.address}/inspect/app:multi`);
  expect(output.digest).toBe(index.root.descriptor.digest);
  expect(output.mediaType).toBe('application/vnd.oci.image.index.v1+json');
  expect(output.platforms).toEqual(['linux/amd64', 'linux/arm64']);
  expect(output.annotations).toEqual({ 'org.opencontainers.image.version': '1.2' });
  expect(output.manifests.map((m) => m.platform)).toEqual(['linux/amd64', 'linux/arm64', 'unknown/unknown']);
});

it('reports the artifact type of an artifact named by digest', async () => {
  const output = await inspect(`${registry.address}/inspect/app@${signature.root.descriptor.digest}`);
  expect(output.artifactType).toBe(ArtifactType.SigstoreBundle);
  expect(output.platforms).toEqual([]);
});

it('fails permanently for an unknown tag', async () => {
  const failure = (await inspect(`${registry.address}/inspect/app:nope`).catch(
    (e: unknown) => e,
  )) as ActionFailure;
  expect(failure).toBeInstanceOf(ActionFailure);
  expect(failure.retryable).toBe(false);
  expect(failure.details.code).toBe('OCI_MANIFEST_UNKNOWN');
});

it('queues by registry', () => {
  expect(inspectAction.queue!({ image: 'quay.io/a/b:1' })).toBe('registry:quay.io');
});
