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
