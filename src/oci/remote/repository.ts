import type { Readable } from 'node:stream';
import { OciError, verifyBytes } from '../../kernel/index.js';
import { isValidTag } from '../ref/index.js';
import type {
  BlobMounter,
  CallOptions,
  Deleter,
  ListReferrersOptions,
  ListTagsOptions,
  PushManifestOptions,
  Target,
  TargetLocation,
} from '../content/index.js';
import { type Descriptor, type Manifest, parseManifest, subjectOf } from '../manifest/index.js';
import { mountBlob, pushBlob } from './blob-upload.js';
import { blobExists, deleteBlob, fetchBlob } from './blobs.js';
import { deleteManifest, fetchManifest, manifestExists, putManifest, resolveManifest } from './manifests.js';
import { listReferrers, updateFallbackIndex } from './referrers.js';
import type { RepositoryContext } from './repository-context.js';
import { listTags } from './tags.js';

/**
 * One repository of a remote registry as a content store: the copy engine's source and
 * destination. Referrers are kept discoverable on registries without the Referrers API by
 * maintaining the tag-schema fallback index on push and delete.
 */
export class RemoteRepository implements Target, BlobMounter, Deleter {
  readonly location: TargetLocation;

  constructor(private readonly ctx: RepositoryContext) {
    this.location = { kind: 'remote', registry: ctx.registry, repository: ctx.repository };
  }

  get name(): string {
    return `${this.ctx.registry}/${this.ctx.repository}`;
  }

  resolve(reference: string, options: CallOptions = {}): Promise<Descriptor> {
    return resolveManifest(this.ctx, reference, options.signal);
  }

  fetchManifest(reference: string | Descriptor, options: CallOptions = {}): Promise<Manifest> {
    return fetchManifest(this.ctx, reference, options.signal);
  }

  manifestExists(descriptor: Descriptor, options: CallOptions = {}): Promise<boolean> {
    return manifestExists(this.ctx, descriptor, options.signal);
  }

  fetchBlob(descriptor: Descriptor, options: CallOptions = {}): Promise<Readable> {
    return fetchBlob(this.ctx, descriptor, options.signal);
  }

  blobExists(descriptor: Descriptor, options: CallOptions = {}): Promise<boolean> {
    return blobExists(this.ctx, descriptor, options.signal);
  }

  pushBlob(descriptor: Descriptor, content: Readable, options: CallOptions = {}): Promise<void> {
    return pushBlob(this.ctx, descriptor, content, options.signal);
  }

  mountBlob(descriptor: Descriptor, fromRepository: string, options: CallOptions = {}): Promise<boolean> {
    return mountBlob(this.ctx, descriptor, fromRepository, options.signal);
  }

  async pushManifest(
    manifest: Pick<Manifest, 'descriptor' | 'bytes'>,
    options: PushManifestOptions = {},
  ): Promise<void> {
    // Checked here, not left to the registry: some registries store whatever they are given.
    verifyBytes(manifest.bytes, manifest.descriptor);
    const parsed = parseManifest(manifest.bytes, {
      mediaType: manifest.descriptor.mediaType,
      digest: manifest.descriptor.digest,
      source: this.name,
    });
    if (options.tag !== undefined && !isValidTag(options.tag)) {
      throw new OciError('OCI_TAG_INVALID', `invalid tag "${options.tag}" for ${this.name}`, {
        registry: this.ctx.registry,
        repository: this.ctx.repository,
      });
    }
    const result = await putManifest(
      this.ctx,
      manifest,
      options.tag ?? manifest.descriptor.digest,
      options.signal,
    );
    const subject = subjectOf(parsed);
    if (!subject) return;
    if (result.subjectIndexed) {
      this.ctx.referrersApi.set(true);
      return;
    }
    // distribution-spec v1.1: without OCI-Subject in the answer the client maintains the fallback tag.
    await updateFallbackIndex(this.ctx, subject.digest, parsed.descriptor, 'add', options.signal);
  }

  async tag(descriptor: Descriptor, tag: string, options: CallOptions = {}): Promise<void> {
    const manifest = await this.fetchManifest(descriptor, options);
    await putManifest(this.ctx, manifest, tag, options.signal);
  }

  /** Removes a tag without deleting the manifest (distribution-spec v1.1 "Deleting tags"). */
  async untag(tag: string, options: CallOptions = {}): Promise<void> {
    await deleteManifest(this.ctx, tag, options.signal);
  }

  listTags(options: ListTagsOptions = {}): AsyncIterable<string> {
    return listTags(this.ctx, options);
  }

  listReferrers(subject: Descriptor, options: ListReferrersOptions = {}): Promise<Descriptor[]> {
    return listReferrers(this.ctx, subject, options.artifactType, options.signal);
  }

  async deleteManifest(descriptor: Descriptor, options: CallOptions = {}): Promise<void> {
    let subject: Descriptor | undefined;
    if (this.ctx.referrersApi.get() !== true) {
      try {
        subject = subjectOf(await this.fetchManifest(descriptor, options));
      } catch (error) {
        if (!(error instanceof OciError && error.code === 'OCI_MANIFEST_UNKNOWN')) throw error;
      }
    }
    await deleteManifest(this.ctx, descriptor.digest, options.signal);
    if (subject) await updateFallbackIndex(this.ctx, subject.digest, descriptor, 'remove', options.signal);
  }

  deleteBlob(descriptor: Descriptor, options: CallOptions = {}): Promise<void> {
    return deleteBlob(this.ctx, descriptor, options.signal);
  }
}
