import { afterAll, beforeAll, expect, it } from 'vitest';
import { type Fixture, makeImage, makeLayer, pushFixtureToRegistry } from '../../../test/fixtures/index.js';
import {
  type AirlockRegistry,
  type FaultProxy,
  Fault,
  startAirlockRegistry,
  startFaultProxy,
} from '../../../test/harness/index.js';
import { ActionFailure } from '../../engine/actions/contract.js';
import { createTestContext } from '../../engine/actions/testing/context.js';
import { OciError } from '../../kernel/index.js';
import { RegistrySession } from '../../oci/remote/index.js';
import { ServiceKey } from '../services.js';
import { type DeleteInput, deleteAction } from './delete-action.js';

let registry: AirlockRegistry;
let proxy: FaultProxy;
let session: RegistrySession;
let image: Fixture;

const remove = (input: Record<string, unknown>) => {
  const test = createTestContext({ services: { [ServiceKey.registries]: session } });
  return deleteAction.run(input as DeleteInput, test.context);
};

async function resolves(repository: string, reference: string): Promise<boolean> {
  const target = await session.repository({ registry: registry.address, repository });
  return target.resolve(reference).then(
    () => true,
    (error: unknown) => {
      if (error instanceof OciError && error.code === 'OCI_MANIFEST_UNKNOWN') return false;
      throw error;
    },
  );
}

beforeAll(async () => {
  registry = await startAirlockRegistry();
  proxy = await startFaultProxy({ target: registry.url });
  session = new RegistrySession();
  image = makeImage({ layers: [await makeLayer({ seed: 'delete', size: 1024 })] });
});

afterAll(async () => {
  await session?.close();
  await proxy?.stop();
  await registry?.stop();
});

it('deletes the manifest a tag names, with every tag pointing to it', async () => {
  const host = registry.address;
  await pushFixtureToRegistry(image, { host, repository: 'del/a', tag: 'one' });
  await pushFixtureToRegistry(image, { host, repository: 'del/a', tag: 'two' });
  const output = await remove({ image: `${host}/del/a:one` });
  expect(output).toEqual({ deleted: image.root.descriptor.digest });
  expect(await resolves('del/a', 'two')).toBe(false);
  expect(await resolves('del/a', image.root.descriptor.digest)).toBe(false);
});

it('fails permanently when there is nothing to delete, unless missingOk is set', async () => {
  const host = registry.address;
  await pushFixtureToRegistry(image, { host, repository: 'del/b', tag: 'x' });
  const byDigest = `${host}/del/b@${image.root.descriptor.digest}`;
  expect(await remove({ image: byDigest })).toEqual({ deleted: image.root.descriptor.digest });

  const failure = (await remove({ image: byDigest }).catch((e: unknown) => e)) as ActionFailure;
  expect(failure).toBeInstanceOf(ActionFailure);
  expect(failure.retryable).toBe(false);
  expect(failure.message).toMatch(/^nothing to delete: .*del\/b@sha256:.* does not exist \(set missingOk/);
  expect(await remove({ image: byDigest, missingOk: true })).toEqual({ deleted: null });
});

it('explains a registry that refuses deletion', async () => {
  await pushFixtureToRegistry(image, { host: registry.address, repository: 'del/c', tag: 'x' });
  proxy.when({ method: 'DELETE', path: /\/manifests\// }).respond(
    Fault.status(405, {
      body: { errors: [{ code: 'UNSUPPORTED', message: 'The operation is unsupported.' }] },
    }),
  );
  const failure = (await remove({ image: `${proxy.host}/del/c:x` }).catch(
    (e: unknown) => e,
  )) as ActionFailure;
  expect(failure).toBeInstanceOf(ActionFailure);
  expect(failure.retryable).toBe(false);
  expect(failure.message).toMatch(/refuses to delete .*del\/c:x: deletion is disabled/);
  expect(await resolves('del/c', 'x')).toBe(true);
});
