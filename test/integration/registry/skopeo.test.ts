import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type AirlockRegistry, startAirlockRegistry } from '../../harness/airlock-registry.js';
import {
  makeTempDir,
  requireTools,
  skopeoCopy,
  skopeoInspect,
  skopeoInspectRaw,
  skopeoListTags,
  type TempDir,
} from '../../harness/index.js';
import {
  type BuiltManifest,
  describe as describeBlob,
  makeArtifact,
  makeImage,
  makeIndex,
  writeLayout,
} from './support/fixtures.js';
import { call, header, pushBlob, pushManifest } from './support/http.js';
import { skopeoDelete } from './support/skopeo-extra.js';

const describeWith = requireTools('skopeo');

describeWith('skopeo against the built-in registry (anonymous, loopback)', () => {
  let registry: AirlockRegistry;
  let dir: TempDir;
  let single: BuiltManifest;
  let multi: BuiltManifest;

  beforeAll(async () => {
    registry = await startAirlockRegistry();
    dir = await makeTempDir('registry-skopeo');
    single = await makeImage({ seed: 60, layers: 3, layerSize: 300_000 });
    const arm = await makeImage({
      seed: 61,
      platform: { os: 'linux', architecture: 'arm64', variant: 'v8' },
    });
    multi = makeIndex([single, arm]);
    await writeLayout(join(dir.path, 'source'), { single, multi });
  });
  afterAll(async () => {
    await registry?.stop();
    await dir?.remove();
  });

  it('copies an image in from an OCI layout, byte for byte', async () => {
    await skopeoCopy(`oci:${join(dir.path, 'source')}:single`, `${registry.address}/sk/single:v1`, {
      preserveDigests: true,
    });
    const raw = await skopeoInspectRaw(`${registry.address}/sk/single:v1`);
    expect(raw.equals(single.bytes)).toBe(true);
    const info = await skopeoInspect(`${registry.address}/sk/single:v1`);
    expect(info.Digest).toBe(single.digest);
    expect(info.Layers).toEqual((single.json.layers as { digest: string }[]).map((l) => l.digest));
  });

  it('copies a multi-platform index in with --all and back out to a layout unchanged', async () => {
    await skopeoCopy(`oci:${join(dir.path, 'source')}:multi`, `${registry.address}/sk/multi:v1`, {
      preserveDigests: true,
    });
    const raw = await skopeoInspectRaw(`${registry.address}/sk/multi:v1`);
    expect(raw.equals(multi.bytes)).toBe(true);
    const arm = await skopeoInspect(`${registry.address}/sk/multi:v1`, { timeoutMs: 60_000 });
    expect(arm.Os).toBe('linux');

    const out = join(dir.path, 'out');
    await skopeoCopy(`${registry.address}/sk/multi:v1`, `oci:${out}:copied`, { preserveDigests: true });
    const index = JSON.parse(await readFile(join(out, 'index.json'), 'utf8')) as {
      manifests: { digest: string }[];
    };
    expect(index.manifests[0]!.digest).toBe(multi.digest);
    for (const child of multi.children) {
      const bytes = await readFile(join(out, 'blobs', 'sha256', child.digest.slice(7)));
      expect(bytes.equals(child.bytes)).toBe(true);
    }
  });

  it('copies between repositories of the registry and lists tags', async () => {
    await skopeoCopy(`${registry.address}/sk/multi:v1`, `${registry.address}/sk/other:a`);
    await skopeoCopy(`${registry.address}/sk/multi:v1`, `${registry.address}/sk/other:b`);
    expect(await skopeoListTags(`${registry.address}/sk/other`)).toEqual(['a', 'b']);
  });

  it('deletes an image by tag: the manifest and every tag pointing at it go', async () => {
    await skopeoCopy(`oci:${join(dir.path, 'source')}:single`, `${registry.address}/sk/delete:v1`);
    await skopeoCopy(`oci:${join(dir.path, 'source')}:single`, `${registry.address}/sk/delete:v2`);
    await skopeoDelete(`${registry.address}/sk/delete:v1`);
    expect(await skopeoListTags(`${registry.address}/sk/delete`)).toEqual([]);
    await expect(skopeoInspectRaw(`${registry.address}/sk/delete@${single.digest}`)).rejects.toThrow(
      /manifest unknown|not found/i,
    );
  });

  it('reads referrers of an image copied in by skopeo through the Referrers API', async () => {
    const subject = describeBlob(single);
    const sbom = makeArtifact(subject, 'application/spdx+json', '{"spdxVersion":"SPDX-2.3"}');
    for (const blob of sbom.blobs) await pushBlob(registry.url, 'sk/single', blob);
    const put = await pushManifest(registry.url, 'sk/single', sbom.digest, sbom);
    expect(header(put, 'oci-subject')).toBe(single.digest);
    const listed = await call(registry.url, 'GET', `/v2/sk/single/referrers/${single.digest}`);
    expect((listed.json as { manifests: { digest: string }[] }).manifests.map((m) => m.digest)).toEqual([
      sbom.digest,
    ]);
    const raw = await skopeoInspectRaw(`${registry.address}/sk/single@${sbom.digest}`);
    expect(raw.equals(sbom.bytes)).toBe(true);
  });
});
