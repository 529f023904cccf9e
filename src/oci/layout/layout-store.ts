import { resolve as resolvePath } from 'node:path';
import { Readable } from 'node:stream';
import {
  Limiter,
  OciError,
  isDigest,
  parseDigest,
  throwIfAborted,
  verifyBytes,
  type Digest,
} from '../../kernel/index.js';
import { isNondistributableMediaType } from '../mediatype/index.js';
import { parseManifest, subjectOf, type Descriptor, type Manifest } from '../manifest/index.js';
import {
  DEFAULT_MAX_MANIFEST_BYTES,
  assertTag,
  drainStream,
  type CallOptions,
  type Deleter,
  type ListReferrersOptions,
  type ListTagsOptions,
  type PushManifestOptions,
  type Target,
  type TargetLocation,
} from '../content/index.js';
import { openBlobFile, readSmallBlobFile, removeBlobFile, writeBlobFile } from './blob-files.js';
import { fileExists } from './file-io.js';
import { LayoutIndex, withoutRefName } from './layout-index.js';
import { blobPath, checkLayoutVersion, createLayout, readIndexFile, writeIndexFile } from './layout-files.js';
import { scanReferrers, type ReferrerIndex } from './referrer-index.js';

export interface OpenLayoutOptions extends CallOptions {
  /** Make a new layout (directory, `oci-layout`, empty `index.json`) where none exists. */
  create?: boolean;
  /** Manifests larger than this are refused on push and fetch; default 4 MiB. */
  maxManifestBytes?: number;
}

/**
 * An OCI image layout directory (image-spec v1.1 image-layout.md) as a content store: the
 * air-gapped export and import format, read and written the way skopeo (`oci:DIR:TAG`),
 * umoci and oras (`--oci-layout`) do.
 *
 * - Tags are `org.opencontainers.image.ref.name` annotations of index.json entries; moving
 *   a tag replaces its entry, as skopeo does, and the manifest it left stays in `blobs/`,
 *   resolvable by digest. A manifest pushed without a tag gets an untagged entry unless
 *   it was already stored, and pushing an index drops the untagged entries of its
 *   children, so index.json lists the top-level manifests and nothing pushed is orphaned.
 *   Referrers always get an entry, as oras writes them. Tags we write follow the
 *   distribution-spec grammar; ref names other tools wrote (full references) are read as is.
 * - `resolve` by digest answers for any manifest whose blob is present, not only for
 *   index.json entries: children of indexes are never listed there, and the layout is
 *   content-addressed, so presence is proof enough.
 * - Referrers are found by reading the manifests index.json reaches, once per open, then
 *   kept current as manifests are pushed and deleted.
 * - index.json is read once, at open, replaced atomically on every change, and its updates
 *   are serialised within this process. Two processes (or two stores) writing one layout at
 *   once is not supported: changes made by others while a store is open are not seen, and
 *   the last index.json written wins.
 */
export class OciLayoutStore implements Target, Deleter {
  readonly location: TargetLocation;
  private readonly indexLock = new Limiter(1);
  private index: LayoutIndex;
  private referrers: ReferrerIndex | undefined;

  private constructor(
    readonly root: string,
    index: LayoutIndex,
    private readonly maxManifestBytes: number,
  ) {
    this.location = { kind: 'layout', registry: root, repository: '' };
    this.index = index;
  }

  static async open(directory: string, options: OpenLayoutOptions = {}): Promise<OciLayoutStore> {
    const root = resolvePath(directory);
    const { signal } = options;
    throwIfAborted(signal);
    if (options.create) await createLayout(root, { signal });
    await checkLayoutVersion(root, { signal });
    const index = LayoutIndex.of(await readIndexFile(root, { signal }));
    return new OciLayoutStore(root, index, options.maxManifestBytes ?? DEFAULT_MAX_MANIFEST_BYTES);
  }

  async fetchBlob(descriptor: Descriptor, options: CallOptions = {}): Promise<Readable> {
    throwIfAborted(options.signal);
    const stream = await openBlobFile(this.root, descriptor, options);
    if (!stream) throw this.blobUnknown(descriptor.digest);
    return stream;
  }

  async blobExists(descriptor: Descriptor, options: CallOptions = {}): Promise<boolean> {
    return fileExists(blobPath(this.root, descriptor.digest), options);
  }

  async pushBlob(descriptor: Descriptor, content: Readable, options: CallOptions = {}): Promise<void> {
    if (await this.blobExists(descriptor, options)) return drainStream(content, options);
    await writeBlobFile(this.root, descriptor, content, options);
  }

  async resolve(reference: string, options: CallOptions = {}): Promise<Descriptor> {
    throwIfAborted(options.signal);
    const digest = digestOfReference(reference);
    const entry = digest === undefined ? this.index.findTag(reference) : this.index.findDigest(digest);
    if (entry) return describeEntry(entry);
    if (digest === undefined) throw this.manifestUnknown(reference);
    const manifest = await this.readManifest({ digest }, options);
    if (!manifest) throw this.manifestUnknown(reference);
    return structuredClone(manifest.descriptor);
  }

  async fetchManifest(reference: string | Descriptor, options: CallOptions = {}): Promise<Manifest> {
    const descriptor = typeof reference === 'string' ? await this.resolve(reference, options) : reference;
    const manifest = await this.readManifest(descriptor, options);
    if (!manifest) throw this.manifestUnknown(typeof reference === 'string' ? reference : reference.digest);
    return manifest;
  }

  async manifestExists(descriptor: Descriptor, options: CallOptions = {}): Promise<boolean> {
    return fileExists(blobPath(this.root, descriptor.digest), options);
  }

  async pushManifest(
    manifest: Pick<Manifest, 'descriptor' | 'bytes'>,
    options: PushManifestOptions = {},
  ): Promise<void> {
    const { signal, tag } = options;
    throwIfAborted(signal);
    if (tag !== undefined) assertTag(tag);
    const { descriptor, bytes } = manifest;
    this.assertManifestSize(bytes.length, descriptor.digest);
    verifyBytes(bytes, descriptor);
    const parsed = parseManifest(bytes, {
      mediaType: descriptor.mediaType,
      digest: descriptor.digest,
      source: descriptor.digest,
    });
    await this.assertChildrenStored(parsed, signal);
    const existed = await this.manifestExists(descriptor, { signal });
    if (!existed) await writeBlobFile(this.root, descriptor, Readable.from([Buffer.from(bytes)]), { signal });

    const entry = indexEntryOf(parsed, descriptor);
    const subject = subjectOf(parsed);
    await this.updateIndex((index) => {
      let next = index;
      if (tag !== undefined) next = next.withTag(entry, tag);
      else if (subject || !existed) next = next.withUntagged(entry);
      if (parsed.kind === 'index')
        next = next.withoutUntagged(new Set(parsed.index.manifests.map((d) => d.digest)));
      return next;
    }, signal);
    this.referrers?.record(parsed);
  }

  async tag(descriptor: Descriptor, tag: string, options: CallOptions = {}): Promise<void> {
    throwIfAborted(options.signal);
    assertTag(tag);
    const manifest = await this.readManifest(descriptor, options);
    if (!manifest) throw this.manifestUnknown(descriptor.digest);
    const entry = indexEntryOf(manifest, descriptor);
    await this.updateIndex((index) => index.withTag(entry, tag), options.signal);
  }

  async *listTags(options: ListTagsOptions = {}): AsyncIterable<string> {
    const { last, signal } = options;
    throwIfAborted(signal);
    for (const tag of this.index.tags()) {
      throwIfAborted(signal);
      if (last === undefined || tag > last) yield tag;
    }
  }

  async listReferrers(subject: Descriptor, options: ListReferrersOptions = {}): Promise<Descriptor[]> {
    throwIfAborted(options.signal);
    const referrers = await this.loadReferrers(options.signal);
    return referrers.list(subject.digest, options.artifactType);
  }

  async deleteManifest(descriptor: Descriptor, options: CallOptions = {}): Promise<void> {
    const { signal } = options;
    if (!(await this.manifestExists(descriptor, { signal }))) throw this.manifestUnknown(descriptor.digest);
    // index.json first: a crash in between leaves an unreferenced blob, never a dangling entry.
    await this.updateIndex((index) => index.withoutDigest(descriptor.digest), signal);
    this.referrers?.forget(descriptor.digest);
    if (!(await removeBlobFile(this.root, descriptor.digest, { signal })))
      throw this.manifestUnknown(descriptor.digest);
  }

  async deleteBlob(descriptor: Descriptor, options: CallOptions = {}): Promise<void> {
    throwIfAborted(options.signal);
    if (this.index.findDigest(descriptor.digest)) {
      throw new OciError(
        'OCI_DENIED',
        `blob ${descriptor.digest} is a manifest listed in ${this.root}/index.json; delete it with deleteManifest so that index.json stays valid`,
        { registry: this.root, digest: descriptor.digest },
      );
    }
    if (!(await removeBlobFile(this.root, descriptor.digest, options)))
      throw this.blobUnknown(descriptor.digest);
  }

  /** Applies a change to index.json: written to disk first, adopted in memory once it is there. */
  private async updateIndex(
    change: (index: LayoutIndex) => LayoutIndex,
    signal: AbortSignal | undefined,
  ): Promise<void> {
    await this.indexLock.run(async () => {
      throwIfAborted(signal);
      const next = change(this.index);
      if (next === this.index) return;
      await writeIndexFile(this.root, next.value, { signal });
      this.index = next;
    }, signal);
  }

  private async loadReferrers(signal: AbortSignal | undefined): Promise<ReferrerIndex> {
    if (this.referrers) return this.referrers;
    // Under the index lock, so that no push lands between the scan and its adoption.
    return this.indexLock.run(async () => {
      this.referrers ??= await scanReferrers(this.index.entries, (d) => this.readManifest(d, { signal }), {
        signal,
      });
      return this.referrers;
    }, signal);
  }

  /**
   * Reads, verifies and parses a manifest blob; undefined when absent. Given only a digest,
   * content that is not a manifest counts as absent.
   */
  private async readManifest(
    expected: Pick<Descriptor, 'digest'> & Partial<Descriptor>,
    options: CallOptions,
  ): Promise<Manifest | undefined> {
    throwIfAborted(options.signal);
    if (expected.size !== undefined) this.assertManifestSize(expected.size, expected.digest);
    const bytes = await readSmallBlobFile(this.root, expected.digest, this.maxManifestBytes, options);
    if (!bytes) return undefined;
    verifyBytes(bytes, { digest: expected.digest, size: expected.size });
    const source = `${this.root} ${expected.digest}`;
    if (expected.mediaType)
      return parseManifest(bytes, { mediaType: expected.mediaType, digest: expected.digest, source });
    try {
      return parseManifest(bytes, { digest: expected.digest, source });
    } catch {
      return undefined;
    }
  }

  /** Refuses manifests whose content is missing, as registries do (MANIFEST_BLOB_UNKNOWN). */
  private async assertChildrenStored(manifest: Manifest, signal: AbortSignal | undefined): Promise<void> {
    const children =
      manifest.kind === 'index'
        ? manifest.index.manifests.map((d, i) => ({ d, field: `manifests[${i}]` }))
        : [manifest.image.config, ...manifest.image.layers].map((d, i) => ({
            d,
            field: i === 0 ? 'config' : `layers[${i - 1}]`,
          }));
    for (const { d, field } of children) {
      if (isNondistributableMediaType(d.mediaType) && (d.urls?.length ?? 0) > 0) continue;
      if (await fileExists(blobPath(this.root, d.digest), { signal })) continue;
      throw new OciError(
        'OCI_MANIFEST_BLOB_UNKNOWN',
        `manifest ${manifest.descriptor.digest} references ${d.digest} (${field}), which is not in ${this.root}; push it before the manifest`,
        { registry: this.root, digest: d.digest },
      );
    }
  }

  private assertManifestSize(size: number, digest: Digest): void {
    if (size <= this.maxManifestBytes) return;
    throw new OciError(
      'OCI_MANIFEST_TOO_LARGE',
      `manifest ${digest} is ${size} bytes, more than the limit of ${this.maxManifestBytes} bytes`,
      {
        registry: this.root,
        digest,
      },
    );
  }

  private blobUnknown(digest: Digest): OciError {
    return new OciError('OCI_BLOB_UNKNOWN', `blob ${digest} not found in ${this.root}`, {
      registry: this.root,
      digest,
    });
  }

  private manifestUnknown(reference: string): OciError {
    const context = isDigest(reference) ? { digest: reference } : { reference };
    return new OciError('OCI_MANIFEST_UNKNOWN', `manifest ${reference} not found in ${this.root}`, {
      registry: this.root,
      ...context,
    });
  }
}

/**
 * A reference's digest, or undefined for a ref name. Ref names in layouts written by other
 * tools can be full image references, so only a registered algorithm prefix marks a digest.
 */
function digestOfReference(reference: string): Digest | undefined {
  if (isDigest(reference)) return reference;
  if (/^(sha256|sha512):/.test(reference)) parseDigest(reference);
  return undefined;
}

/** A resolved index.json entry: the ref name is where it was found, not part of the descriptor. */
function describeEntry(entry: Descriptor): Descriptor {
  const descriptor = structuredClone(entry);
  const annotations = withoutRefName(entry.annotations);
  if (annotations) descriptor.annotations = annotations;
  else delete descriptor.annotations;
  return descriptor;
}

/** The index.json entry for a manifest: its own type and size, the artifact type, the caller's platform. */
function indexEntryOf(manifest: Manifest, given: Descriptor): Descriptor {
  const { mediaType, digest, size, artifactType } = manifest.descriptor;
  const entry: Descriptor = { mediaType, digest, size };
  if (artifactType) entry.artifactType = artifactType;
  if (given.platform) entry.platform = structuredClone(given.platform);
  return entry;
}
