import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AirlockRegistry, startAirlockRegistry } from '../../harness/airlock-registry.js';
import {
  blobOf,
  describe as describeBlob,
  makeArtifact,
  makeImage,
  makeIndex,
  seededBytes,
  sha256,
} from './support/fixtures.js';
import { call, errorCode, header, pushBlob, pushImage, pushManifest } from './support/http.js';

let registry: AirlockRegistry;
let base: string;

beforeAll(async () => {
  registry = await startAirlockRegistry({ config: { limits: { pageMax: 3 } } });
  base = registry.url;
});
afterAll(() => registry.stop());

describe('content discovery', () => {
  it('lists tags in lexical order with n/last pagination and a Link to the next page', async () => {
    const image = await makeImage({ seed: 30 });
    for (const tag of ['b', 'a', 'C', 'c', '1.0']) await pushImage(base, 'disc/tags', tag, image);
    const all = await call(base, 'GET', '/v2/disc/tags/tags/list?n=10');
    expect(all.status).toBe(200);
    // pageMax is 3: asking for 10 gives 3 and a Link.
    expect(all.json).toEqual({ name: 'disc/tags', tags: ['1.0', 'C', 'a'] });
    expect(header(all, 'link')).toBe('</v2/disc/tags/tags/list?n=3&last=a>; rel="next"');

    const next = await call(base, 'GET', '/v2/disc/tags/tags/list?n=3&last=a');
    expect(next.json).toEqual({ name: 'disc/tags', tags: ['b', 'c'] });
    expect(header(next, 'link')).toBeUndefined();

    const two = await call(base, 'GET', '/v2/disc/tags/tags/list?n=2');
    expect((two.json as { tags: string[] }).tags).toEqual(['1.0', 'C']);
    expect(header(two, 'link')).toContain('last=C');

    const zero = await call(base, 'GET', '/v2/disc/tags/tags/list?n=0');
    expect((zero.json as { tags: string[] }).tags).toEqual([]);
    expect(header(zero, 'link')).toBeUndefined();
  });

  it('answers NAME_UNKNOWN for the tags of an unknown repository and 400 for a bad n', async () => {
    const unknown = await call(base, 'GET', '/v2/disc/nothing/tags/list');
    expect(unknown.status).toBe(404);
    expect(errorCode(unknown)).toBe('NAME_UNKNOWN');
    const bad = await call(base, 'GET', '/v2/disc/tags/tags/list?n=-1');
    expect(bad.status).toBe(400);
  });

  it('lists the catalog with pagination', async () => {
    const blob = blobOf(seededBytes(31, 10), 'application/octet-stream');
    for (const repo of ['disc/cat-a', 'disc/cat-b', 'disc/cat-c/deep']) await pushBlob(base, repo, blob);
    const seen: string[] = [];
    let path: string | undefined = '/v2/_catalog?n=2';
    while (path) {
      const reply = await call(base, 'GET', path);
      expect(reply.status).toBe(200);
      seen.push(...(reply.json as { repositories: string[] }).repositories);
      path = /<([^>]+)>/.exec(header(reply, 'link') ?? '')?.[1];
    }
    expect(seen).toEqual(expect.arrayContaining(['disc/cat-a', 'disc/cat-b', 'disc/cat-c/deep']));
    expect([...seen].sort()).toEqual(seen);
  });

  it('lists referrers with artifactType, annotations, filtering and OCI-Subject on push', async () => {
    const image = await makeImage({ seed: 32 });
    await pushImage(base, 'disc/ref', 'v1', image);
    const sbom = makeArtifact(describeBlob(image), 'application/spdx+json', 'sbom', {
      'org.example.kind': 'sbom',
    });
    const sig = makeArtifact(describeBlob(image), 'application/vnd.example.signature', 'sig');
    for (const artifact of [sbom, sig]) {
      for (const blob of artifact.blobs) await pushBlob(base, 'disc/ref', blob);
      const put = await pushManifest(base, 'disc/ref', artifact.digest, artifact);
      expect(put.status).toBe(201);
      expect(header(put, 'oci-subject')).toBe(image.digest);
    }
    const all = await call(base, 'GET', `/v2/disc/ref/referrers/${image.digest}`);
    expect(all.status).toBe(200);
    expect(header(all, 'content-type')).toBe('application/vnd.oci.image.index.v1+json');
    const index = all.json as {
      schemaVersion: number;
      mediaType: string;
      manifests: Record<string, unknown>[];
    };
    expect(index.schemaVersion).toBe(2);
    expect(index.manifests).toHaveLength(2);
    expect(index.manifests).toContainEqual({
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      digest: sbom.digest,
      size: sbom.size,
      artifactType: 'application/spdx+json',
      annotations: { 'org.example.kind': 'sbom' },
    });
    expect(header(all, 'oci-filters-applied')).toBeUndefined();

    const filtered = await call(
      base,
      'GET',
      `/v2/disc/ref/referrers/${image.digest}?artifactType=${encodeURIComponent('application/vnd.example.signature')}`,
    );
    expect(header(filtered, 'oci-filters-applied')).toBe('artifactType');
    expect((filtered.json as { manifests: { digest: string }[] }).manifests.map((m) => m.digest)).toEqual([
      sig.digest,
    ]);
  });

  it('uses the config media type as artifactType of a referrer without one', async () => {
    const image = await makeImage({ seed: 33 });
    await pushImage(base, 'disc/ref-config', 'v1', image);
    const config = blobOf(
      Buffer.from('{"kind":"attestation"}'),
      'application/vnd.example.attestation.config',
    );
    await pushBlob(base, 'disc/ref-config', config);
    const manifest = blobOf(
      Buffer.from(
        JSON.stringify({
          schemaVersion: 2,
          mediaType: 'application/vnd.oci.image.manifest.v1+json',
          config: describeBlob(config),
          layers: [],
          subject: describeBlob(image),
        }),
      ),
      'application/vnd.oci.image.manifest.v1+json',
    );
    expect((await pushManifest(base, 'disc/ref-config', manifest.digest, manifest)).status).toBe(201);
    const reply = await call(base, 'GET', `/v2/disc/ref-config/referrers/${image.digest}`);
    expect((reply.json as { manifests: { artifactType?: string }[] }).manifests[0]?.artifactType).toBe(
      'application/vnd.example.attestation.config',
    );
  });

  it('accepts referrers before their subject and answers an empty index for unknown subjects', async () => {
    const absent = {
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      digest: sha256('future subject'),
      size: 10,
    };
    const early = makeArtifact(absent, 'application/vnd.example.early', 'early');
    for (const blob of early.blobs) await pushBlob(base, 'disc/early', blob);
    expect((await pushManifest(base, 'disc/early', early.digest, early)).status).toBe(201);
    const listed = await call(base, 'GET', `/v2/disc/early/referrers/${absent.digest}`);
    expect((listed.json as { manifests: unknown[] }).manifests).toHaveLength(1);

    const none = await call(base, 'GET', `/v2/disc/nowhere/referrers/${sha256('nothing')}`);
    expect(none.status).toBe(200);
    expect(none.json).toEqual({
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.index.v1+json',
      manifests: [],
    });
    const bad = await call(base, 'GET', '/v2/disc/early/referrers/sha256:xyz');
    expect(bad.status).toBe(400);
    expect(errorCode(bad)).toBe('DIGEST_INVALID');
  });

  it('paginates referrers past the page size with a Link', async () => {
    const image = await makeImage({ seed: 34 });
    await pushImage(base, 'disc/many', 'v1', image);
    const pushed: string[] = [];
    for (let i = 0; i < 5; i++) {
      const artifact = makeArtifact(describeBlob(image), 'application/vnd.example.n', `n${i}`);
      for (const blob of artifact.blobs) await pushBlob(base, 'disc/many', blob);
      await pushManifest(base, 'disc/many', artifact.digest, artifact);
      pushed.push(artifact.digest);
    }
    const seen: string[] = [];
    let path: string | undefined = `/v2/disc/many/referrers/${image.digest}`;
    while (path) {
      const reply = await call(base, 'GET', path);
      seen.push(...(reply.json as { manifests: { digest: string }[] }).manifests.map((m) => m.digest));
      path = /<([^>]+)>/.exec(header(reply, 'link') ?? '')?.[1];
    }
    expect(seen.sort()).toEqual(pushed.sort());
  });
});

describe('content management', () => {
  it('deletes a tag, leaving the manifest by digest', async () => {
    const image = await makeImage({ seed: 40 });
    await pushImage(base, 'mgmt/tag', 'v1', image);
    expect((await call(base, 'DELETE', '/v2/mgmt/tag/manifests/v1')).status).toBe(202);
    expect((await call(base, 'GET', '/v2/mgmt/tag/manifests/v1')).status).toBe(404);
    expect((await call(base, 'GET', `/v2/mgmt/tag/manifests/${image.digest}`)).status).toBe(200);
    expect((await call(base, 'DELETE', '/v2/mgmt/tag/manifests/v1')).status).toBe(404);
  });

  it('deletes a manifest by digest together with its tags and its referrers entry', async () => {
    const image = await makeImage({ seed: 41 });
    await pushImage(base, 'mgmt/manifest', 'v1', image);
    await pushImage(base, 'mgmt/manifest', 'v2', image);
    const sig = makeArtifact(describeBlob(image), 'application/vnd.example.signature', 'sig');
    for (const blob of sig.blobs) await pushBlob(base, 'mgmt/manifest', blob);
    await pushManifest(base, 'mgmt/manifest', sig.digest, sig);

    expect((await call(base, 'DELETE', `/v2/mgmt/manifest/manifests/${sig.digest}`)).status).toBe(202);
    const referrers = await call(base, 'GET', `/v2/mgmt/manifest/referrers/${image.digest}`);
    expect((referrers.json as { manifests: unknown[] }).manifests).toEqual([]);

    expect((await call(base, 'DELETE', `/v2/mgmt/manifest/manifests/${image.digest}`)).status).toBe(202);
    for (const ref of ['v1', 'v2', image.digest])
      expect((await call(base, 'GET', `/v2/mgmt/manifest/manifests/${ref}`)).status).toBe(404);
    expect((await call(base, 'GET', '/v2/mgmt/manifest/tags/list')).json).toEqual({
      name: 'mgmt/manifest',
      tags: [],
    });
  });

  it('answers 404 for deleting in an unknown repository or an unknown manifest', async () => {
    const repo = await call(base, 'DELETE', `/v2/mgmt/none/manifests/${sha256('x')}`);
    expect(repo.status).toBe(404);
    expect(errorCode(repo)).toBe('MANIFEST_UNKNOWN');
    const image = await makeImage({ seed: 42 });
    await pushImage(base, 'mgmt/some', 'v1', image);
    const manifest = await call(base, 'DELETE', `/v2/mgmt/some/manifests/${sha256('x')}`);
    expect(manifest.status).toBe(404);
    expect(errorCode(manifest)).toBe('MANIFEST_UNKNOWN');
  });

  it('deletes a blob from a repository', async () => {
    const blob = blobOf(seededBytes(43, 100), 'application/octet-stream');
    await pushBlob(base, 'mgmt/blob', blob);
    expect((await call(base, 'DELETE', `/v2/mgmt/blob/blobs/${blob.digest}`)).status).toBe(202);
    expect((await call(base, 'HEAD', `/v2/mgmt/blob/blobs/${blob.digest}`)).status).toBe(404);
    const again = await call(base, 'DELETE', `/v2/mgmt/blob/blobs/${blob.digest}`);
    expect(again.status).toBe(404);
    expect(errorCode(again)).toBe('BLOB_UNKNOWN');
  });

  it('keeps an index pushed after its children, and serves it by tag', async () => {
    const amd = await makeImage({ seed: 44 });
    const arm = await makeImage({ seed: 45, platform: { os: 'linux', architecture: 'arm64' } });
    const index = makeIndex([amd, arm]);
    await pushImage(base, 'mgmt/multi', 'v1', index);
    const reply = await call(base, 'GET', '/v2/mgmt/multi/manifests/v1');
    expect(header(reply, 'content-type')).toBe('application/vnd.oci.image.index.v1+json');
    expect(reply.body.equals(index.bytes)).toBe(true);
  });
});
