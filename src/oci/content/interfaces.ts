import type { Readable } from 'node:stream';
import type { Descriptor, Manifest } from '../manifest/index.js';

/**
 * Capability interfaces of content stores, small enough that each implementation
 * (remote repository, OCI layout, memory) provides exactly what it can, composed into
 * the roles the copy engine and the CLI need. Modelled on oras-go v2's content package.
 */

export interface CallOptions {
  signal?: AbortSignal;
}

/** Where a target lives, for logs, progress and deciding whether a cross-repository mount is possible. */
export interface TargetLocation {
  kind: 'remote' | 'layout' | 'memory';
  /** Canonical registry host (remote), layout directory path (layout) or store name (memory). */
  registry: string;
  /** Repository path inside the registry; empty for layouts and memory stores. */
  repository: string;
}

export interface Located {
  readonly location: TargetLocation;
}

export interface BlobFetcher {
  /**
   * Streams a blob. The stream is verified against `descriptor` (digest and size) and
   * fails before its last byte when it does not match.
   */
  fetchBlob(descriptor: Descriptor, options?: CallOptions): Promise<Readable>;
  blobExists(descriptor: Descriptor, options?: CallOptions): Promise<boolean>;
}

export interface BlobPusher {
  /**
   * Stores a blob whose content must match `descriptor`; a mismatch is rejected and
   * nothing is committed. Pushing content that already exists is not an error.
   */
  pushBlob(descriptor: Descriptor, content: Readable, options?: CallOptions): Promise<void>;
}

export interface BlobMounter {
  /**
   * Makes a blob of another repository of the same registry available here without
   * transferring it. Returns false when the registry could not mount (the caller then pushes).
   */
  mountBlob(descriptor: Descriptor, fromRepository: string, options?: CallOptions): Promise<boolean>;
}

export interface ManifestFetcher {
  /** Resolves a tag or digest to the descriptor of the manifest it names. */
  resolve(reference: string, options?: CallOptions): Promise<Descriptor>;
  /** Fetches a manifest (by tag, digest or descriptor), size-bounded and digest-verified. */
  fetchManifest(reference: string | Descriptor, options?: CallOptions): Promise<Manifest>;
  manifestExists(descriptor: Descriptor, options?: CallOptions): Promise<boolean>;
}

export interface PushManifestOptions extends CallOptions {
  /** Tag to push the manifest under; without it the manifest is pushed by digest. */
  tag?: string;
}

export interface ManifestPusher {
  /**
   * Pushes the exact bytes of a manifest. A manifest with a `subject` is also made
   * discoverable as a referrer (Referrers API, or the tag-schema fallback index).
   */
  pushManifest(
    manifest: Pick<Manifest, 'descriptor' | 'bytes'>,
    options?: PushManifestOptions,
  ): Promise<void>;
}

export interface Tagger {
  /** Points a tag at a manifest that is already stored. */
  tag(descriptor: Descriptor, tag: string, options?: CallOptions): Promise<void>;
}

export interface ListTagsOptions extends CallOptions {
  /** Start after this tag (distribution-spec `last`). */
  last?: string;
  /** Page size hint (`n`). */
  pageSize?: number;
}

export interface TagLister {
  listTags(options?: ListTagsOptions): AsyncIterable<string>;
}

export interface ListReferrersOptions extends CallOptions {
  /** Only referrers of this artifact type. */
  artifactType?: string;
}

export interface ReferrerLister {
  /** Descriptors of the manifests whose `subject` is `subject`. */
  listReferrers(subject: Descriptor, options?: ListReferrersOptions): Promise<Descriptor[]>;
}

export interface Deleter {
  deleteManifest(descriptor: Descriptor, options?: CallOptions): Promise<void>;
  deleteBlob(descriptor: Descriptor, options?: CallOptions): Promise<void>;
}

/** What a copy reads from. */
export interface ReadOnlyTarget extends Located, BlobFetcher, ManifestFetcher, ReferrerLister, TagLister {}

/** What a copy writes to (and can read back from, for idempotency checks). */
export interface Target extends ReadOnlyTarget, BlobPusher, ManifestPusher, Tagger {}

export function isBlobMounter(target: object): target is BlobMounter {
  return typeof (target as Partial<BlobMounter>).mountBlob === 'function';
}

export function isDeleter(target: object): target is Deleter {
  return typeof (target as Partial<Deleter>).deleteManifest === 'function';
}
