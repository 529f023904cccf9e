import { afterAll, beforeAll, expect, it } from 'vitest';
import { makeImage, makeLayer, pushFixtureToRegistry } from '../../../test/fixtures/index.js';
import { type DockerRegistry, requireTools, startDockerRegistry } from '../../../test/harness/index.js';
import { ActionFailure } from '../../engine/actions/contract.js';
import { WARN_LEVEL, createTestContext } from '../../engine/actions/testing/context.js';
import { RegistrySession } from '../../oci/remote/index.js';
import { ServiceKey } from '../services.js';
import { type ListTagsInput, listTagsAction } from './list-tags-action.js';

const describeWith = requireTools('docker-registry');

describeWith('oci/list-tags@v1', () => {
  let registry: DockerRegistry;
  let session: RegistrySession;
  let signatureTag: string;

  const list = (input: Record<string, unknown>) => {
    const test = createTestContext({ services: { [ServiceKey.registries]: session } });
    return listTagsAction.run(input as ListTagsInput, test.context);
  };

  beforeAll(async () => {
    registry = await startDockerRegistry();
    session = new RegistrySession();
    const image = makeImage({ layers: [await makeLayer({ seed: 'tags', size: 512 })] });
    signatureTag = `${image.root.descriptor.digest.replace(':', '-')}.sig`;
    for (const tag of ['1.0', '1.2.3', '2.0.0-rc1', '2.1', 'latest', signatureTag]) {
      await pushFixtureToRegistry(image, { host: registry.host, repository: 'lib/node', tag });
    }
  });

  afterAll(async () => {
    await session?.close();
    await registry?.stop();
  });

  it('lists every tag but attachment tags, with the canonical repository name', async () => {
    const output = await list({ repository: `${registry.host}/lib/node` });
    expect(output.repository).toBe(`${registry.host}/lib/node`);
    expect([...output.tags].sort()).toEqual(['1.0', '1.2.3', '2.0.0-rc1', '2.1', 'latest']);
    expect(listTagsAction.output.parse(output)).toEqual(output);
  });

  it('filters by regular expression, semver range and latest-N', async () => {
    expect((await list({ repository: `${registry.host}/lib/node`, include: '^1\\.' })).tags.sort()).toEqual([
      '1.0',
      '1.2.3',
    ]);
    expect(
      (
        await list({
          repository: `${registry.host}/lib/node`,
          semver: '>=1 <3',
          latest: 2,
          exclude: ['^1\\.0$'],
        })
      ).tags,
    ).toEqual(['2.1', '1.2.3']);
    expect(
      (await list({ repository: `${registry.host}/lib/node`, semver: '>=2.0.0-rc0 <2.1', prerelease: true }))
        .tags,
    ).toEqual(['2.0.0-rc1']);
  });

  it('keeps attachment tags when asked', async () => {
    const output = await list({ repository: `${registry.host}/lib/node`, attachments: true });
    expect(output.tags).toContain(signatureTag);
  });

  it('fails permanently with a clear message for a bad pattern or a tagged repository', async () => {
    const bad = (await list({ repository: `${registry.host}/lib/node`, include: '(' }).catch(
      (e: unknown) => e,
    )) as ActionFailure;
    expect(bad).toBeInstanceOf(ActionFailure);
    expect(bad.retryable).toBe(false);
    expect(bad.message).toMatch(/invalid include pattern \/\(\//);

    await expect(list({ repository: `${registry.host}/lib/node:1.0` })).rejects.toThrow(
      /repository: ".*lib\/node:1.0" names a tag or digest/,
    );
  });

  it('lists nothing for an unknown repository and warns about it', async () => {
    const test = createTestContext({ services: { [ServiceKey.registries]: session } });
    const output = await listTagsAction.run(
      { repository: `${registry.host}/no/such` } as ListTagsInput,
      test.context,
    );
    expect(output.tags).toEqual([]);
    expect(test.logs.find((r) => r.level === WARN_LEVEL)).toMatchObject({
      msg: 'repository has no tags or does not exist',
      repository: 'no/such',
    });
  });
});

it('queues by registry and validates its input', async () => {
  expect(listTagsAction.queue!({ repository: 'node' } as ListTagsInput)).toBe('registry:docker.io');
  await expect(
    listTagsAction.run({ repository: 'node', latest: 0 } as ListTagsInput, createTestContext().context),
  ).rejects.toThrow(/latest: Too small/);
});
