import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  describeBytes,
  encodeManifest,
  EMPTY_CONFIG,
  EMPTY_CONFIG_BYTES,
  type Manifest,
} from '../../../src/oci/manifest/index.js';
import { MediaType } from '../../../src/oci/mediatype/index.js';
import { RegistrySession } from '../../../src/oci/remote/index.js';
import { referrersFallbackTag } from '../../../src/oci/ref/index.js';
import { Readable } from 'node:stream';
import { makeImage, makeLayer, storeFixture } from '../../fixtures/index.js';
import { type DockerRegistry, requireTools, startDockerRegistry } from '../../harness/index.js';

const describeWith = requireTools('docker-registry');

/** A referrer artifact of `subject`, distinct per `n`. */
function referrer(subject: Manifest, n: number): Manifest {
  const payload = Buffer.from(`referrer ${n}`);
  return encodeManifest({
    schemaVersion: 2,
    mediaType: MediaType.OciManifest,
    artifactType: n % 2 === 0 ? 'application/vnd.example.sig' : 'application/vnd.example.sbom',
    config: EMPTY_CONFIG,
    layers: [describeBytes(payload, 'application/octet-stream')],
    subject: subject.descriptor,
  });
}

describeWith('referrers tag-schema fallback maintenance (CNCF distribution)', () => {
  let registry: DockerRegistry;

  beforeAll(async () => {
    registry = await startDockerRegistry();
  });
  afterAll(async () => {
    await registry?.stop();
  });

  async function prepare(session: RegistrySession) {
    const repository = await session.repository({
      registry: registry.host,
      repository: `fallback/${randomUUID().slice(0, 8)}`,
    });
    const image = makeImage({ layers: [await makeLayer({ seed: 'fallback', size: 512 })] });
    await storeFixture(repository, image, { tag: 'v1' });
    await repository.pushBlob(EMPTY_CONFIG, Readable.from([Buffer.from(EMPTY_CONFIG_BYTES)]));
    for (let n = 0; n < 6; n++) {
      const payload = Buffer.from(`referrer ${n}`);
      await repository.pushBlob(describeBytes(payload, 'application/octet-stream'), Readable.from([payload]));
    }
    return { repository, image: image.root };
  }

  it('keeps the index equal to the referrers pushed and not deleted, whatever the sequence', async () => {
    const session = new RegistrySession();
    try {
      await fc.assert(
        fc.asyncProperty(
          fc.array(fc.tuple(fc.boolean(), fc.integer({ min: 0, max: 5 })), { minLength: 1, maxLength: 8 }),
          async (operations) => {
            const { repository, image } = await prepare(session);
            const model = new Set<string>();
            for (const [push, n] of operations) {
              const artifact = referrer(image, n);
              if (push) {
                await repository.pushManifest(artifact);
                model.add(artifact.descriptor.digest);
              } else if (model.has(artifact.descriptor.digest)) {
                await repository.deleteManifest(artifact.descriptor);
                model.delete(artifact.descriptor.digest);
              }
            }
            const listed = (await repository.listReferrers(image.descriptor)).map((d) => d.digest);
            expect(new Set(listed)).toEqual(model);
            expect(listed).toHaveLength(model.size);
            const sigs = await repository.listReferrers(image.descriptor, {
              artifactType: 'application/vnd.example.sig',
            });
            expect(sigs.every((d) => d.artifactType === 'application/vnd.example.sig')).toBe(true);
          },
        ),
        { numRuns: 8 },
      );
    } finally {
      await session.close();
    }
  });

  it('loses no referrer when one process pushes many of them at once', async () => {
    const session = new RegistrySession();
    try {
      const { repository, image } = await prepare(session);
      const artifacts = Array.from({ length: 6 }, (_, n) => referrer(image, n));
      await Promise.all(artifacts.map((a) => repository.pushManifest(a)));
      const listed = await repository.listReferrers(image.descriptor);
      expect(listed.map((d) => d.digest).sort()).toEqual(artifacts.map((a) => a.descriptor.digest).sort());
      const index = await repository.fetchManifest(referrersFallbackTag(image.descriptor.digest));
      expect(index.kind).toBe('index');
    } finally {
      await session.close();
    }
  });
});
