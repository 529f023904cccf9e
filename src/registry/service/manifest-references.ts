import { type Digest, OciError } from '../../kernel/index.js';
import type { Descriptor, Manifest } from '../../oci/manifest/index.js';
import { isNondistributableMediaType } from '../../oci/mediatype/index.js';
import type { BlobStore } from '../storage/blob-store.js';
import type { MetadataStore } from '../storage/metadata-store.js';

export interface ReferenceCheckContext {
  repository: string;
  blobs: BlobStore;
  metadata: MetadataStore;
}

/**
 * Checks that everything a pushed manifest points down to is in the repository
 * (distribution-spec v1.1 "Pushing Manifests": a registry MAY reject a manifest whose
 * descriptors reference unknown content, with MANIFEST_BLOB_UNKNOWN). Blobs must be linked
 * into this repository — a digest alone is not a capability to content of other
 * repositories — and have the declared size. Each checked item is marked as used, so that a
 * garbage collection running concurrently spares it. `subject` is deliberately not checked:
 * referrers may be pushed before their subject.
 */
export async function checkManifestReferences(
  manifest: Manifest,
  context: ReferenceCheckContext,
): Promise<void> {
  if (manifest.kind === 'index') {
    await firstFailureInOrder(
      manifest.index.manifests.map((d, i) => checkChildManifest(d, `manifests[${i}]`, context)),
    );
    return;
  }
  const { config, layers } = manifest.image;
  await firstFailureInOrder([
    checkBlob(config, 'config', context),
    ...layers.map((d, i) => (isForeignLayer(d) ? Promise.resolve() : checkBlob(d, `layers[${i}]`, context))),
  ]);
}

/** Runs the checks concurrently but reports the first failure in manifest order, so errors are deterministic. */
async function firstFailureInOrder(checks: Promise<void>[]): Promise<void> {
  const results = await Promise.allSettled(checks);
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) throw failed.reason;
}

async function checkChildManifest(
  descriptor: Descriptor,
  field: string,
  context: ReferenceCheckContext,
): Promise<void> {
  const present = await context.metadata.touchRevision(context.repository, descriptor.digest);
  if (!present) throw unknownReference(descriptor.digest, field, 'manifest', context.repository);
  await context.blobs.touch(descriptor.digest);
}

async function checkBlob(
  descriptor: Descriptor,
  field: string,
  context: ReferenceCheckContext,
): Promise<void> {
  const linked = await context.metadata.hasLayerLink(context.repository, descriptor.digest);
  // Touch before stat: once touched, a concurrent gc re-checks and keeps the blob.
  const touched = linked && (await context.blobs.touch(descriptor.digest));
  if (!touched) throw unknownReference(descriptor.digest, field, 'blob', context.repository);
  const info = await context.blobs.stat(descriptor.digest);
  if (!info) throw unknownReference(descriptor.digest, field, 'blob', context.repository);
  if (info.size !== descriptor.size) {
    throw new OciError(
      'OCI_MANIFEST_INVALID',
      `manifest field "${field}" declares size ${descriptor.size} for ${descriptor.digest}, but the stored blob has ${info.size} bytes`,
      { repository: context.repository, digest: descriptor.digest },
      { details: { field } },
    );
  }
}

/** Layers with `urls` and a non-distributable media type live elsewhere (Windows base layers). */
function isForeignLayer(descriptor: Descriptor): boolean {
  return isNondistributableMediaType(descriptor.mediaType) && (descriptor.urls?.length ?? 0) > 0;
}

function unknownReference(
  digest: Digest,
  field: string,
  kind: 'blob' | 'manifest',
  repository: string,
): OciError {
  return new OciError(
    'OCI_MANIFEST_BLOB_UNKNOWN',
    `manifest field "${field}" references ${kind} ${digest}, which is not in repository ${repository}; push it first`,
    { repository, digest },
    { details: { field } },
  );
}
