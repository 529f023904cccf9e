import { type Digest, digestOf, isDigest, OciError, parseDigest } from '../../kernel/index.js';
import { type Descriptor, type Manifest, parseManifest, subjectOf } from '../../oci/manifest/index.js';
import { isValidTag } from '../names.js';
import type { BlobStore } from '../storage/blob-store.js';
import type { ContentCache } from '../storage/content-cache.js';
import type { MetadataStore } from '../storage/metadata-store.js';
import type { ReferrerStore } from '../storage/referrer-store.js';
import { checkManifestReferences } from './manifest-references.js';
import { crashPoint } from '../storage/crash-points.js';
import type { CallOptions } from '../../oci/content/index.js';

export interface StoredManifest {
  digest: Digest;
  mediaType: string;
  bytes: Buffer;
}

export interface PutManifestResult {
  digest: Digest;
  mediaType: string;
  /** The digest of the manifest's `subject`, when it has one (for the `OCI-Subject` header). */
  subject?: Digest;
}

export interface ManifestServiceOptions {
  blobs: BlobStore;
  metadata: MetadataStore;
  referrers: ReferrerStore;
  cache: ContentCache;
}

/**
 * Manifests of a repository: resolve, read, push (validated, stored byte-exact) and delete.
 * Writes go content first, then the referrers entry, then the revision, then the tag, so
 * that a crash between steps leaves the previous state visible (the extra content is
 * garbage for gc) and a retried push completes it.
 */
export class ManifestService {
  private readonly blobs: BlobStore;
  private readonly metadata: MetadataStore;
  private readonly referrers: ReferrerStore;
  private readonly cache: ContentCache;

  constructor(options: ManifestServiceOptions) {
    this.blobs = options.blobs;
    this.metadata = options.metadata;
    this.referrers = options.referrers;
    this.cache = options.cache;
  }

  /** A tag or digest to the digest and media type of a manifest in the repository. */
  async resolve(
    repository: string,
    reference: string,
  ): Promise<{ digest: Digest; mediaType: string } | undefined> {
    const digest = isDigest(reference) ? reference : await this.metadata.resolveTag(repository, reference);
    if (digest === undefined) return undefined;
    const mediaType = await this.metadata.getRevision(repository, digest);
    return mediaType === undefined ? undefined : { digest, mediaType };
  }

  async get(repository: string, reference: string, { signal }: CallOptions = {}): Promise<StoredManifest> {
    const found = await this.resolve(repository, reference);
    if (!found) throw manifestUnknown(repository, reference);
    const bytes = await this.readBytes(found.digest, signal);
    if (!bytes) throw manifestUnknown(repository, reference);
    return { ...found, bytes };
  }

  async put(
    repository: string,
    reference: string,
    bytes: Buffer,
    contentType: string | undefined,
    { signal }: CallOptions = {},
  ): Promise<PutManifestResult> {
    const byDigest = isDigest(reference);
    const digest = byDigest ? digestOf(bytes, parseDigest(reference).algorithm) : digestOf(bytes);
    if (byDigest && digest !== reference) {
      throw new OciError(
        'OCI_DIGEST_INVALID',
        `manifest content has digest ${digest}, not ${reference} as given in the URL`,
        { repository, digest: reference },
      );
    }
    const manifest = parseManifest(bytes, {
      mediaType: contentType,
      digest,
      source: `${repository}@${digest}`,
    });
    await checkManifestReferences(manifest, { repository, blobs: this.blobs, metadata: this.metadata });
    await this.blobs.writeBytes(digest, bytes, { signal });
    this.cache.set(digest, bytes);
    crashPoint('manifest-stored');
    const subject = subjectOf(manifest);
    if (subject)
      await this.referrers.put(repository, subject.digest, referrerDescriptor(manifest), { signal });
    await this.metadata.putRevision(repository, digest, manifest.descriptor.mediaType, { signal });
    crashPoint('revision-written');
    if (!byDigest) await this.metadata.setTag(repository, reference, digest, { signal });
    const mediaType = manifest.descriptor.mediaType;
    return subject ? { digest, mediaType, subject: subject.digest } : { digest, mediaType };
  }

  /**
   * Deletes a tag, or a manifest with every tag pointing to it and its referrers entry
   * (distribution-spec "Deleting Manifests": afterwards its digest and tags answer 404).
   */
  async delete(repository: string, reference: string, { signal }: CallOptions = {}): Promise<void> {
    if (!isDigest(reference)) {
      if (!(await this.metadata.deleteTag(repository, reference)))
        throw manifestUnknown(repository, reference);
      return;
    }
    if ((await this.metadata.getRevision(repository, reference)) === undefined)
      throw manifestUnknown(repository, reference);
    const bytes = await this.readBytes(reference, signal);
    for (const tag of await this.metadata.tagsPointingTo(repository, reference))
      await this.metadata.deleteTag(repository, tag);
    await this.metadata.deleteRevision(repository, reference);
    const subject = bytes ? subjectOfBytes(bytes) : undefined;
    if (subject) await this.referrers.delete(repository, subject, reference);
  }

  /** Referrers of `subject` in the repository, optionally only those of one artifact type. */
  async listReferrers(
    repository: string,
    subject: Digest,
    artifactType?: string,
    { signal }: CallOptions = {},
  ): Promise<Descriptor[]> {
    const recorded = await this.referrers.list(repository, subject, { signal });
    const present = await Promise.all(recorded.map((d) => this.metadata.getRevision(repository, d.digest)));
    return recorded.filter(
      (d, i) => present[i] !== undefined && (artifactType === undefined || d.artifactType === artifactType),
    );
  }

  private async readBytes(digest: Digest, signal?: AbortSignal): Promise<Buffer | undefined> {
    const cached = this.cache.get(digest);
    if (cached) return cached;
    const bytes = await this.blobs.readBytes(digest, { signal });
    if (bytes) this.cache.set(digest, bytes);
    return bytes;
  }
}

/**
 * The descriptor listed for a referrer (distribution-spec v1.1 "Listing Referrers"): its
 * `artifactType`, else for an image manifest its config's media type, and its annotations.
 */
export function referrerDescriptor(manifest: Manifest): Descriptor {
  const { mediaType, digest, size } = manifest.descriptor;
  const body = manifest.kind === 'index' ? manifest.index : manifest.image;
  const descriptor: Descriptor = { mediaType, digest, size };
  const artifactType =
    body.artifactType || (manifest.kind === 'image' ? manifest.image.config.mediaType : undefined);
  if (artifactType) descriptor.artifactType = artifactType;
  if (body.annotations && Object.keys(body.annotations).length > 0) descriptor.annotations = body.annotations;
  return descriptor;
}

function subjectOfBytes(bytes: Buffer): Digest | undefined {
  try {
    return subjectOf(parseManifest(bytes))?.digest;
  } catch {
    return undefined;
  }
}

export function manifestUnknown(repository: string, reference: string): OciError {
  const what = isDigest(reference) ? `manifest ${reference}` : `tag "${reference}"`;
  return new OciError('OCI_MANIFEST_UNKNOWN', `${what} is not in repository ${repository}`, {
    repository,
    reference,
  });
}

/** Whether a manifest URL reference is well-formed: a tag or a supported digest. */
export function isValidReference(reference: string): boolean {
  return isValidTag(reference) || isDigest(reference);
}
