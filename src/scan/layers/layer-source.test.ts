import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { MemoryStore } from '../../oci/content/index.js';
import { describeBytes, type ImageManifest } from '../../oci/manifest/index.js';
import { MediaType } from '../../oci/mediatype/index.js';
import { layersOf } from './layer-source.js';
import { readFilesystem } from './read-filesystem.js';
import { gzipOf, tarOf } from './testing/tar-fixtures.js';

describe('layersOf', () => {
  it('opens the layers of a manifest from a content store, base first', async () => {
    const store = new MemoryStore();
    const base = gzipOf(
      await tarOf([
        { name: 'etc/os-release', content: 'ID=debian\n' },
        { name: 'etc/motd', content: 'hi' },
      ]),
    );
    const top = gzipOf(await tarOf([{ name: 'etc/.wh.motd' }]));
    const layers = [describeBytes(base, MediaType.OciLayerGzip), describeBytes(top, MediaType.OciLayerGzip)];
    for (const [descriptor, bytes] of [
      [layers[0]!, base],
      [layers[1]!, top],
    ] as const) {
      await store.pushBlob(descriptor, Readable.from([bytes]));
    }
    const config = describeBytes(Buffer.from('{}'), MediaType.OciConfig);
    const manifest: ImageManifest = { schemaVersion: 2, mediaType: MediaType.OciManifest, config, layers };
    const sources = layersOf(store, manifest);
    expect(sources.map((s) => s.descriptor)).toEqual(layers);
    const fs = await readFilesystem(sources, [{ select: () => ({ kind: 'content', maxBytes: 100 }) }]);
    expect(fs.get('/etc/os-release')?.content?.toString()).toBe('ID=debian\n');
    expect(fs.exists('/etc/motd')).toBe(false);
  });

  it("fails the scan with the store's error when a layer is missing", async () => {
    const missing = describeBytes(Buffer.from('nope'), MediaType.OciLayerGzip);
    const config = describeBytes(Buffer.from('{}'), MediaType.OciConfig);
    const sources = layersOf(new MemoryStore(), { schemaVersion: 2, config, layers: [missing] });
    await expect(readFilesystem(sources, [])).rejects.toMatchObject({
      code: 'OCI_BLOB_UNKNOWN',
      message: expect.stringContaining(`layer 0 (${missing.digest})`),
    });
  });
});
