import type { BlobFetcher } from '../../oci/content/index.js';
import type { ImageManifest } from '../../oci/manifest/index.js';
import type { LayerSource } from './types.js';

/**
 * The layers of an image manifest, base first, opened from `target` when the reader gets to
 * each. Blobs are streamed as the store verifies them (digest and size), so a tampered layer
 * fails the scan instead of feeding it.
 */
export function layersOf(target: BlobFetcher, manifest: ImageManifest): LayerSource[] {
  return manifest.layers.map((descriptor) => ({
    descriptor,
    open: (signal?: AbortSignal) => target.fetchBlob(descriptor, { signal }),
  }));
}
