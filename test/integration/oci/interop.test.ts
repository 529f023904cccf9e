import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { Copier } from '../../../src/oci/copy/index.js';
import { OciLayoutStore } from '../../../src/oci/layout/index.js';
import { StaticCredentials } from '../../../src/oci/remote/credentials/index.js';
import { RegistrySession } from '../../../src/oci/remote/index.js';
import {
  type Fixture,
  makeImage,
  makeIndex,
  makeLayer,
  makeSbomArtifact,
  makeSignatureArtifact,
  mergeFixtures,
  pushFixtureToRegistry,
  storeFixture,
  writeFixtureLayout,
} from '../../fixtures/index.js';
import {
  type DockerRegistry,
  type TempDir,
  makeTempDir,
  requireTools,
  skopeoCopy,
  skopeoInspectRaw,
  startDockerRegistry,
} from '../../harness/index.js';

const describeWith = requireTools('docker-registry', 'skopeo');

async function multiArch(format: 'oci' | 'docker', seed: number): Promise<Fixture> {
  const base = await makeLayer({ seed: [seed, 'base'], size: 64 * 1024 });
  const images = await Promise.all(
    ['linux/amd64', 'linux/arm64', 'linux/arm/v7'].map(async (platform, i) =>
      makeImage({ layers: [base, await makeLayer({ seed: [seed, i], size: 128 * 1024 })], platform, format }),
    ),
  );
  return makeIndex({ manifests: images, format });
}

describeWith('interoperability with skopeo and CNCF distribution', () => {
  let source: DockerRegistry;
  let destination: DockerRegistry;
  let secured: DockerRegistry;
  let temp: TempDir;
  let session: RegistrySession;

  beforeAll(async () => {
    [source, destination, secured] = await Promise.all([
      startDockerRegistry(),
      startDockerRegistry(),
      startDockerRegistry({ auth: { mode: 'htpasswd', users: { alice: 's3cret-pass' } } }),
    ]);
    temp = await makeTempDir('interop');
    session = new RegistrySession({
      credentials: new StaticCredentials({
        [secured.host]: { kind: 'basic', username: 'alice', password: 's3cret-pass' },
      }),
    });
  });

  afterAll(async () => {
    await session?.close();
    await Promise.all([source?.stop(), destination?.stop(), secured?.stop()]);
    await temp?.remove();
  });

  for (const format of ['oci', 'docker'] as const) {
    it(`copies a ${format} multi-arch image pushed by a third-party client with identical digests, as skopeo reads them`, async () => {
      const fixture = await multiArch(format, format === 'oci' ? 1 : 2);
      if (format === 'oci') {
        const layout = join(temp.path, `layout-${format}`);
        await writeFixtureLayout(fixture, layout, 'v1');
        await skopeoCopy(`oci:${layout}:v1`, `docker://${source.host}/interop/${format}:v1`, {
          preserveDigests: true,
        });
      } else {
        // skopeo 1.9 does not read Docker manifest lists from OCI layouts: push over plain HTTP instead.
        await pushFixtureToRegistry(fixture, {
          host: source.host,
          repository: `interop/${format}`,
          tag: 'v1',
        });
      }

      const result = await new Copier().copy(
        await session.repository({ registry: source.host, repository: `interop/${format}` }),
        'v1',
        await session.repository({ registry: destination.host, repository: `mirror/${format}` }),
        'v1',
      );

      expect(result.digest).toBe(fixture.root.descriptor.digest);
      const raw = await skopeoInspectRaw(`docker://${destination.host}/mirror/${format}:v1`);
      expect(Buffer.compare(raw, Buffer.from(fixture.root.bytes))).toBe(0);
      for (const child of fixture.manifests.filter((m) => m.kind === 'image')) {
        const childRaw = await skopeoInspectRaw(
          `docker://${destination.host}/mirror/${format}@${child.descriptor.digest}`,
        );
        expect(Buffer.compare(childRaw, Buffer.from(child.bytes))).toBe(0);
      }
    });
  }

  it('pushes referrers to a registry without the Referrers API and finds them through the fallback, before and after a copy', async () => {
    const image = makeImage({ layers: [await makeLayer({ seed: 30, size: 4096 })] });
    const signature = makeSignatureArtifact(image);
    const sbom = makeSbomArtifact(image);
    const origin = await session.repository({ registry: source.host, repository: 'interop/signed' });
    await storeFixture(origin, mergeFixtures(image, signature, sbom), { tag: 'v1' });

    const found = await origin.listReferrers(image.root.descriptor);
    expect(found.map((d) => d.digest).sort()).toEqual(
      [signature.root.descriptor.digest, sbom.root.descriptor.digest].sort(),
    );
    expect(session.referrersApiSupported(source.host)).toBe(false);
    const sboms = await origin.listReferrers(image.root.descriptor, {
      artifactType: sbom.root.descriptor.artifactType,
    });
    expect(sboms.map((d) => d.digest)).toEqual([sbom.root.descriptor.digest]);

    const mirror = await session.repository({ registry: destination.host, repository: 'mirror/signed' });
    const result = await new Copier().copy(origin, 'v1', mirror, 'v1', { referrers: true });
    expect(result.stats.referrersCopied).toBe(2);
    const copied = await mirror.listReferrers(image.root.descriptor);
    expect(copied.map((d) => d.digest).sort()).toEqual(found.map((d) => d.digest).sort());
  });

  it('mounts blobs across repositories of one registry instead of transferring them', async () => {
    const fixture = await multiArch('oci', 3);
    const origin = await session.repository({ registry: source.host, repository: 'interop/mount' });
    await storeFixture(origin, fixture, { tag: 'v1' });
    const copier = new Copier();
    const first = await copier.copy(
      origin,
      'v1',
      await session.repository({ registry: destination.host, repository: 'mount/a' }),
      'v1',
    );
    const second = await copier.copy(
      origin,
      'v1',
      await session.repository({ registry: destination.host, repository: 'mount/b' }),
      'v1',
    );
    expect(first.stats.blobsCopied).toBe(fixture.blobs.size);
    expect(second.stats.blobsCopied).toBe(0);
    expect(second.stats.blobsMounted).toBe(fixture.blobs.size);
  });

  it('exports to an OCI layout that skopeo reads, and imports a layout skopeo wrote', async () => {
    const fixture = await multiArch('oci', 4);
    const origin = await session.repository({ registry: source.host, repository: 'interop/export' });
    await storeFixture(origin, fixture, { tag: 'v1' });
    const exported = join(temp.path, 'exported');
    await new Copier().copy(origin, 'v1', await OciLayoutStore.open(exported, { create: true }), 'v1');
    expect(
      Buffer.compare(await skopeoInspectRaw(`oci:${exported}:v1`), Buffer.from(fixture.root.bytes)),
    ).toBe(0);

    const rewritten = join(temp.path, 'by-skopeo');
    await skopeoCopy(`oci:${exported}:v1`, `oci:${rewritten}:v2`, { preserveDigests: true });
    const imported = await session.repository({ registry: destination.host, repository: 'interop/imported' });
    const result = await new Copier().copy(await OciLayoutStore.open(rewritten), 'v2', imported, 'v2');
    expect(result.digest).toBe(fixture.root.descriptor.digest);
    expect(
      Buffer.compare(
        await skopeoInspectRaw(`docker://${destination.host}/interop/imported:v2`),
        Buffer.from(fixture.root.bytes),
      ),
    ).toBe(0);
  });

  it('copies into and out of a Basic-auth registry with configured credentials', async () => {
    const fixture = makeImage({ layers: [await makeLayer({ seed: 40, size: 8192 })] });
    const origin = await session.repository({ registry: source.host, repository: 'interop/basic' });
    await storeFixture(origin, fixture, { tag: 'v1' });
    const guarded = await session.repository({ registry: secured.host, repository: 'team/app' });
    await new Copier().copy(origin, 'v1', guarded, 'v1');
    expect((await guarded.resolve('v1')).digest).toBe(fixture.root.descriptor.digest);

    const anonymous = new RegistrySession();
    try {
      const denied = await anonymous.repository({ registry: secured.host, repository: 'team/app' });
      await expect(denied.resolve('v1')).rejects.toMatchObject({ code: 'OCI_UNAUTHORIZED' });
    } finally {
      await anonymous.close();
    }
  });
});
