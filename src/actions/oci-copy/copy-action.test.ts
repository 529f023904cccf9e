import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  type Fixture,
  makeImage,
  makeIndex,
  makeLayer,
  makeSignatureArtifact,
  pushFixtureToRegistry,
} from '../../../test/fixtures/index.js';
import {
  type AirlockRegistry,
  type DockerRegistry,
  type TempDir,
  makeTempDir,
  requireTools,
  startAirlockRegistry,
  startDockerRegistry,
} from '../../../test/harness/index.js';
import { ActionFailure } from '../../engine/actions/contract.js';
import { createTestContext } from '../../engine/actions/testing/context.js';
import { AppError } from '../../kernel/index.js';
import { OciLayoutStore } from '../../oci/layout/index.js';
import { referrersFallbackTag } from '../../oci/ref/index.js';
import { RegistrySession } from '../../oci/remote/index.js';
import { BlobLocationCache } from '../../app/blob-location-cache.js';
import { ServiceKey } from '../services.js';
import { type CopyInput, copyAction } from './copy-action.js';

const describeWith = requireTools('docker-registry');

async function image(seed: number, platform = 'linux/amd64'): Promise<Fixture> {
  return makeImage({ layers: [await makeLayer({ seed: [seed, 'layer'], size: 4096 })], platform });
}

describeWith('oci/copy@v1', () => {
  let upstream: AirlockRegistry;
  let mirror: DockerRegistry;
  let temp: TempDir;
  let session: RegistrySession;
  let app1: Fixture;
  let app2: Fixture;
  let multi: Fixture;
  let signature: Fixture;

  const run = (input: Partial<CopyInput> & Record<string, unknown>, services?: Record<string, unknown>) => {
    const test = createTestContext({ services: services ?? { [ServiceKey.registries]: session } });
    return { test, result: copyAction.run(input as CopyInput, test.context) };
  };

  beforeAll(async () => {
    [upstream, mirror, temp] = await Promise.all([
      startAirlockRegistry(),
      startDockerRegistry(),
      makeTempDir('copy-action'),
    ]);
    session = new RegistrySession();
    app1 = await image(1);
    app2 = await image(2);
    multi = makeIndex({ manifests: [await image(3, 'linux/amd64'), await image(4, 'linux/arm64')] });
    signature = makeSignatureArtifact(app1);
    const host = upstream.address;
    await pushFixtureToRegistry(app1, { host, repository: 'src/app', tag: '1.0' });
    await pushFixtureToRegistry(app1, { host, repository: 'src/app', tag: '1.1' });
    await pushFixtureToRegistry(app2, { host, repository: 'src/app', tag: '2.0' });
    await pushFixtureToRegistry(signature, { host, repository: 'src/app' });
    await pushFixtureToRegistry(multi, { host, repository: 'src/multi', tag: '1' });
  });

  afterAll(async () => {
    await session?.close();
    await Promise.all([upstream?.stop(), mirror?.stop(), temp?.remove()]);
  });

  it('copies an image keeping its digest and tag, then skips it when the destination has it', async () => {
    const input = { source: `${upstream.address}/src/app:1.0`, destination: `${mirror.host}/m/app` };
    const first = run(input);
    const copied = await first.result;
    expect(copied.digests).toEqual([app1.root.descriptor.digest]);
    expect(copied.results).toHaveLength(1);
    expect(copied.results[0]).toMatchObject({
      destination: `${mirror.host}/m/app:1.0`,
      digest: app1.root.descriptor.digest,
      status: 'copied',
    });
    expect(copied.results[0]!.stats.blobsCopied).toBe(2);
    expect(copyAction.output.parse(copied)).toEqual(copied);
    const record = first.test.logs.find((r) => r.msg === 'image copied');
    expect(record).toMatchObject({ digest: app1.root.descriptor.digest, run: 'run-test', step: 'step-test' });
    expect(first.test.progress.at(-1)).toMatchObject({ current: 1, total: 1, unit: 'images' });

    const again = await run(input).result;
    expect(again.results[0]).toMatchObject({ status: 'skipped', digest: app1.root.descriptor.digest });
    expect(again.results[0]!.stats.blobsCopied).toBe(0);
  });

  it('mounts into a new repository what an earlier run left in another, through the blob location service', async () => {
    const fresh = await image(7);
    await pushFixtureToRegistry(fresh, { host: upstream.address, repository: 'src/fresh', tag: 'v1' });
    const hints = await BlobLocationCache.load(join(temp.path, 'blob-locations.json'));
    const services = { [ServiceKey.registries]: session, [ServiceKey.blobLocations]: hints };
    const source = `${upstream.address}/src/fresh:v1`;
    const first = await run({ source, destination: `${mirror.host}/hinted/one` }, services).result;
    expect(first.results[0]!.stats).toMatchObject({ blobsCopied: 2, blobsMounted: 0 });
    const layer = fresh.root.kind === 'image' ? fresh.root.image.layers[0]!.digest : '';
    expect(await hints.repositoriesHolding(mirror.host, layer)).toEqual(['hinted/one']);
    // A later run (a new copier) into another repository of the same registry.
    const second = await run({ source, destination: `${mirror.host}/hinted/two` }, services).result;
    expect(second.results[0]!.stats).toMatchObject({ blobsCopied: 0, blobsMounted: 2 });
  });

  it('copies several tags of a repository and lists each distinct digest once', async () => {
    const { result } = run({
      source: `${upstream.address}/src/app`,
      destination: `${mirror.host}/tags/app`,
      tags: ['1.0', '1.1', '2.0', '1.0'],
    });
    const output = await result;
    expect(output.results.map((r) => r.destination)).toEqual([
      `${mirror.host}/tags/app:1.0`,
      `${mirror.host}/tags/app:1.1`,
      `${mirror.host}/tags/app:2.0`,
    ]);
    expect(output.digests).toEqual([app1.root.descriptor.digest, app2.root.descriptor.digest]);
    const repository = await session.repository({ registry: mirror.host, repository: 'tags/app' });
    expect((await repository.resolve('2.0')).digest).toBe(app2.root.descriptor.digest);
  });

  it('copies nothing for an empty tag list', async () => {
    const output = await run({
      source: `${upstream.address}/src/app`,
      destination: `${mirror.host}/none/app`,
      tags: [],
    }).result;
    expect(output).toEqual({ digests: [], results: [] });
  });

  it('narrows an index to the requested platforms and reports the filtered digest', async () => {
    const output = await run({
      source: `${upstream.address}/src/multi:1`,
      destination: `${mirror.host}/multi/arm`,
      platforms: ['linux/arm64'],
    }).result;
    const result = output.results[0]!;
    expect(result.filtered).toEqual({
      sourceDigest: multi.root.descriptor.digest,
      platforms: ['linux/arm64'],
    });
    expect(result.digest).not.toBe(multi.root.descriptor.digest);
    const copied = await (
      await session.repository({ registry: mirror.host, repository: 'multi/arm' })
    ).fetchManifest('1');
    expect(copied.kind === 'index' && copied.index.manifests.map((m) => m.platform?.architecture)).toEqual([
      'arm64',
    ]);
  });

  it('copies referrers to a registry without the Referrers API through the fallback tag', async () => {
    await run({
      source: `${upstream.address}/src/app:1.0`,
      destination: `${mirror.host}/signed/app`,
      referrers: true,
    }).result;
    const repository = await session.repository({ registry: mirror.host, repository: 'signed/app' });
    const fallback = await repository.fetchManifest(referrersFallbackTag(app1.root.descriptor.digest));
    expect(fallback.kind === 'index' && fallback.index.manifests.map((m) => m.digest)).toEqual([
      signature.root.descriptor.digest,
    ]);
  });

  it('writes into an OCI layout, creating it', async () => {
    const layout = join(temp.path, 'layout');
    const output = await run({ source: `${upstream.address}/src/app:2.0`, destination: `oci:${layout}` })
      .result;
    expect(output.results[0]!.destination).toBe(`oci:${layout}:2.0`);
    const store = await OciLayoutStore.open(layout);
    expect((await store.resolve('2.0')).digest).toBe(app2.root.descriptor.digest);
  });

  it('writes several tags into one OCI layout without losing any', async () => {
    const layout = join(temp.path, 'tags-layout');
    await run({
      source: `${upstream.address}/src/app`,
      destination: `oci:${layout}`,
      tags: ['1.0', '1.1', '2.0'],
    }).result;
    const store = await OciLayoutStore.open(layout);
    const tags: string[] = [];
    for await (const tag of store.listTags()) tags.push(tag);
    expect(tags.sort()).toEqual(['1.0', '1.1', '2.0']);
  });

  it('resolves builtin:// locations to the registry this process runs', async () => {
    const output = await run(
      { source: `${upstream.address}/src/app:1.0`, destination: 'builtin://quarantine/app' },
      { [ServiceKey.registries]: session, [ServiceKey.builtinRegistry]: { address: upstream.address } },
    ).result;
    expect(output.results[0]!.destination).toBe(`${upstream.address}/quarantine/app:1.0`);
  });

  it('fails permanently, naming the image, when the source tag does not exist', async () => {
    const failure = await run({
      source: `${upstream.address}/src/app:9.9`,
      destination: `${mirror.host}/m/app`,
    }).result.catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(ActionFailure);
    const error = failure as ActionFailure;
    expect(error.retryable).toBe(false);
    expect(error.details.code).toBe('OCI_MANIFEST_UNKNOWN');
    expect(error.message).toContain(`${upstream.address}/src/app:9.9`);
  });

  it('reports which tags failed and keeps the failure permanent when one of them cannot succeed', async () => {
    const failure = (await run({
      source: `${upstream.address}/src/app`,
      destination: `${mirror.host}/partial/app`,
      tags: ['1.0', 'missing'],
    }).result.catch((e: unknown) => e)) as ActionFailure;
    expect(failure).toBeInstanceOf(ActionFailure);
    expect(failure.message).toMatch(/^1 of 2 images failed to copy: .*src\/app:missing/);
    expect(failure.retryable).toBe(false);
    expect(failure.details.copied).toEqual([
      { destination: `${mirror.host}/partial/app:1.0`, digest: app1.root.descriptor.digest },
    ]);
  });

  it('fails retryably when the source registry is unreachable', async () => {
    const failure = (await run({
      source: '127.0.0.1:1/src/app:1.0',
      destination: `${mirror.host}/m/app`,
    }).result.catch((e: unknown) => e)) as ActionFailure;
    expect(failure).toBeInstanceOf(ActionFailure);
    expect(failure.retryable).toBe(true);
    expect(failure.details.code).toBe('OCI_REGISTRY_UNREACHABLE');
  });

  it('hands the cancellation back to the engine when the step is cancelled', async () => {
    const { test, result } = run({
      source: `${upstream.address}/src/app:1.0`,
      destination: `${mirror.host}/c/app`,
    });
    test.abort(new AppError('ABORTED', 'run cancelled by alice'));
    const error = await result.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).message).toBe('run cancelled by alice');
  });
});

it('rejects misspelt fields and digest destinations before touching a registry', async () => {
  const test = createTestContext();
  await expect(
    copyAction.run(
      { source: 'a/b:1', destination: 'c/d', referers: true } as unknown as CopyInput,
      test.context,
    ),
  ).rejects.toThrow(/invalid input for oci\/copy@v1: Unrecognized key: "referers"/);
  await expect(
    copyAction.run(
      { source: 'a/b:1', destination: `c/d@sha256:${'a'.repeat(64)}` } as CopyInput,
      test.context,
    ),
  ).rejects.toThrow(/destination: .* names a digest/);
  await expect(
    copyAction.run({ source: 'a/b:1', destination: 'c/d', tags: ['-bad'] } as CopyInput, test.context),
  ).rejects.toThrow(/tags\[0\]: must be up to 128 characters/);
  await expect(
    copyAction.run({ source: 'a/b', destination: 'c/d:1', tags: ['1'] } as CopyInput, test.context),
  ).rejects.toThrow(/destination: "c\/d:1" names a tag or digest/);
});

it('says so when the process provides no registry access', async () => {
  const failure = (await copyAction
    .run({ source: 'a/b:1', destination: 'c/d' } as CopyInput, createTestContext().context)
    .catch((e: unknown) => e)) as ActionFailure;
  expect(failure).toBeInstanceOf(ActionFailure);
  expect(failure.retryable).toBe(false);
  expect(failure.message).toMatch(/no registry access \(service "registries"\)/);
});

it('queues by the canonical source registry', () => {
  const queue = (source: string) => copyAction.queue!({ source, destination: 'x/y' } as CopyInput);
  expect(queue('python:3.12')).toBe('registry:docker.io');
  expect(queue('index.docker.io/library/python:3.12')).toBe('registry:docker.io');
  expect(queue('ghcr.io/o/i:1')).toBe('registry:ghcr.io');
  expect(queue('oci:./layout:1')).toBeUndefined();
  expect(queue('builtin://quarantine/x:1')).toBeUndefined();
  expect(queue('Not A Reference')).toBeUndefined();
});
