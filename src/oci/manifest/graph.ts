import { isNondistributableMediaType } from '../mediatype/index.js';
import type { Descriptor, Manifest } from './types.js';

/** The descriptors a manifest points down to: an index's manifests, an image's config and layers. */
export function childrenOf(manifest: Manifest): Descriptor[] {
  if (manifest.kind === 'index') return manifest.index.manifests;
  return [manifest.image.config, ...manifest.image.layers];
}

/** The descriptor of the manifest this one refers to (OCI image-spec v1.1 `subject`). */
export function subjectOf(manifest: Manifest): Descriptor | undefined {
  return manifest.kind === 'index' ? manifest.index.subject : manifest.image.subject;
}

/** A descriptor stripped to the fields that identify content (for comparisons and sets). */
export function contentKey(descriptor: Pick<Descriptor, 'digest'>): string {
  return descriptor.digest;
}

/**
 * Foreign layers (nondistributable media type with `urls`, e.g. Windows base layers) are
 * fetched by clients from their URLs; registries need not hold them, and copies skip them.
 */
export function isNondistributable(descriptor: Descriptor): boolean {
  return isNondistributableMediaType(descriptor.mediaType) && (descriptor.urls?.length ?? 0) > 0;
}
