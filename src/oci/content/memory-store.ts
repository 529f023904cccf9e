import { Readable, Writable, addAbortSignal, pipeline as pipelineCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import {
  DigestVerifier,
  OciError,
  isDigest,
  parseDigest,
  throwIfAborted,
  verifyBytes,
  type Digest,
} from '../../kernel/index.js';
import { isNondistributableMediaType } from '../mediatype/index.js';
import { parseManifest, subjectOf, type Descriptor, type Manifest } from '../manifest/index.js';
import type {
  CallOptions,
  Deleter,
  ListReferrersOptions,
  ListTagsOptions,
  PushManifestOptions,
  Target,
  TargetLocation,
} from './interfaces.js';
import {
  DEFAULT_MAX_MANIFEST_BYTES,
  abortedOr,
  assertTag,
  drainStream,
  referrerDescriptorOf,
} from './store-contract.js';

export interface MemoryStoreOptions {
  /** Names the store in `location` and in error messages; default `memory`. */
  name?: string;
  /** Manifests larger than this are refused on push and fetch; default 4 MiB. */
  maxManifestBytes?: number;
}

interface StoredManifest {
  descriptor: Descriptor;
  bytes: Uint8Array;
  subject?: Digest;
}

// Fetched blobs are released in slices like a file or socket would deliver them.
const FETCH_CHUNK_BYTES = 64 * 1024;

/**
 * A content store held in memory, with the semantics of a registry repository: content is
 * verified on the way in and out, manifests must reference content already pushed (as
 * registries require), tags point at manifests, and manifests with a `subject` are listed
 * as its referrers even before the subject exists. The working fake for copy-engine tests.
 */
export class MemoryStore implements Target, Deleter {
  readonly location: TargetLocation;
  private readonly maxManifestBytes: number;
  private readonly blobs = new Map<Digest, Buffer>();
  private readonly manifests = new Map<Digest, StoredManifest>();
  private readonly tags = new Map<string, Digest>();
  private readonly referrers = new Map<Digest, Map<Digest, Descriptor>>();

  constructor(options: MemoryStoreOptions = {}) {
    this.location = { kind: 'memory', registry: options.name ?? 'memory', repository: '' };
    this.maxManifestBytes = options.maxManifestBytes ?? DEFAULT_MAX_MANIFEST_BYTES;
  }

  async fetchBlob(descriptor: Descriptor, options: CallOptions = {}): Promise<Readable> {
    throwIfAborted(options.signal);
    const bytes = this.blobs.get(descriptor.digest);
    if (!bytes) throw this.blobUnknown(descriptor.digest);
    const verifier = new DigestVerifier(descriptor);
    pipelineCallback(Readable.from(slices(bytes)), verifier, () => {});
    return options.signal ? addAbortSignal(options.signal, verifier) : verifier;
  }

  async blobExists(descriptor: Descriptor, options: CallOptions = {}): Promise<boolean> {
    throwIfAborted(options.signal);
    return this.blobs.has(descriptor.digest);
  }

  async pushBlob(descriptor: Descriptor, content: Readable, options: CallOptions = {}): Promise<void> {
    const { signal } = options;
    parseDigest(descriptor.digest);
    if (this.blobs.has(descriptor.digest)) return drainStream(content, { signal });
    const chunks: Buffer[] = [];
    const collector = new Writable({
      write: (chunk: Buffer, _encoding, callback) => {
        chunks.push(chunk);
        callback();
      },
    });
    try {
      await pipeline(content, new DigestVerifier(descriptor), collector, { signal });
    } catch (error) {
      throw abortedOr(error, signal);
    }
    this.blobs.set(descriptor.digest, Buffer.concat(chunks));
  }

  async resolve(reference: string, options: CallOptions = {}): Promise<Descriptor> {
    throwIfAborted(options.signal);
    return structuredClone(this.lookup(reference).descriptor);
  }

  async fetchManifest(reference: string | Descriptor, options: CallOptions = {}): Promise<Manifest> {
    throwIfAborted(options.signal);
    if (typeof reference !== 'string') this.assertManifestSize(reference.size, reference.digest);
    const stored = this.lookup(typeof reference === 'string' ? reference : reference.digest);
    const expected = typeof reference === 'string' ? stored.descriptor : reference;
    this.assertManifestSize(stored.bytes.length, expected.digest);
    const bytes = Uint8Array.from(stored.bytes);
    verifyBytes(bytes, expected);
    return parseManifest(bytes, {
      mediaType: stored.descriptor.mediaType,
      digest: expected.digest,
      source: expected.digest,
    });
  }

  async manifestExists(descriptor: Descriptor, options: CallOptions = {}): Promise<boolean> {
    throwIfAborted(options.signal);
    return this.manifests.has(descriptor.digest);
  }

  async pushManifest(
    manifest: Pick<Manifest, 'descriptor' | 'bytes'>,
    options: PushManifestOptions = {},
  ): Promise<void> {
    throwIfAborted(options.signal);
    const { descriptor, bytes } = manifest;
    if (options.tag !== undefined) assertTag(options.tag);
    this.assertManifestSize(bytes.length, descriptor.digest);
    verifyBytes(bytes, descriptor);
    const parsed = parseManifest(bytes, {
      mediaType: descriptor.mediaType,
      digest: descriptor.digest,
      source: descriptor.digest,
    });
    this.assertChildrenStored(parsed);
    const subject = subjectOf(parsed)?.digest;
    this.manifests.set(descriptor.digest, {
      descriptor: parsed.descriptor,
      bytes: Uint8Array.from(bytes),
      subject,
    });
    if (subject) {
      const listed = this.referrers.get(subject) ?? new Map<Digest, Descriptor>();
      listed.set(descriptor.digest, referrerDescriptorOf(parsed));
      this.referrers.set(subject, listed);
    }
    if (options.tag !== undefined) this.tags.set(options.tag, descriptor.digest);
  }

  async tag(descriptor: Descriptor, tag: string, options: CallOptions = {}): Promise<void> {
    throwIfAborted(options.signal);
    assertTag(tag);
    if (!this.manifests.has(descriptor.digest)) throw this.manifestUnknown(descriptor.digest);
    this.tags.set(tag, descriptor.digest);
  }

  async *listTags(options: ListTagsOptions = {}): AsyncIterable<string> {
    const { last, signal } = options;
    throwIfAborted(signal);
    const tags = [...this.tags.keys()].filter((tag) => last === undefined || tag > last).sort(compareStrings);
    for (const tag of tags) {
      throwIfAborted(signal);
      yield tag;
    }
  }

  async listReferrers(subject: Descriptor, options: ListReferrersOptions = {}): Promise<Descriptor[]> {
    throwIfAborted(options.signal);
    const listed = [...(this.referrers.get(subject.digest)?.values() ?? [])];
    const wanted = options.artifactType;
    return structuredClone(wanted === undefined ? listed : listed.filter((d) => d.artifactType === wanted));
  }

  async deleteManifest(descriptor: Descriptor, options: CallOptions = {}): Promise<void> {
    throwIfAborted(options.signal);
    const stored = this.manifests.get(descriptor.digest);
    if (!stored) throw this.manifestUnknown(descriptor.digest);
    this.manifests.delete(descriptor.digest);
    for (const [tag, digest] of this.tags) if (digest === descriptor.digest) this.tags.delete(tag);
    if (stored.subject) this.referrers.get(stored.subject)?.delete(descriptor.digest);
  }

  async deleteBlob(descriptor: Descriptor, options: CallOptions = {}): Promise<void> {
    throwIfAborted(options.signal);
    if (!this.blobs.delete(descriptor.digest)) throw this.blobUnknown(descriptor.digest);
  }

  private lookup(reference: string): StoredManifest {
    let digest: Digest | undefined;
    if (reference.includes(':')) {
      parseDigest(reference);
      digest = reference;
    } else {
      assertTag(reference);
      digest = this.tags.get(reference);
    }
    const stored = digest === undefined ? undefined : this.manifests.get(digest);
    if (!stored) throw this.manifestUnknown(reference);
    return stored;
  }

  /** Registries refuse manifests whose content is missing (distribution-spec v1.1 MANIFEST_BLOB_UNKNOWN). */
  private assertChildrenStored(manifest: Manifest): void {
    const children =
      manifest.kind === 'index'
        ? manifest.index.manifests.map((d, i) => ({
            d,
            field: `manifests[${i}]`,
            present: this.manifests.has(d.digest),
          }))
        : [manifest.image.config, ...manifest.image.layers].map((d, i) => ({
            d,
            field: i === 0 ? 'config' : `layers[${i - 1}]`,
            present:
              this.blobs.has(d.digest) ||
              (isNondistributableMediaType(d.mediaType) && (d.urls?.length ?? 0) > 0),
          }));
    const missing = children.find((child) => !child.present);
    if (!missing) return;
    throw new OciError(
      'OCI_MANIFEST_BLOB_UNKNOWN',
      `manifest ${manifest.descriptor.digest} references ${missing.d.digest} (${missing.field}), which is not in memory store "${this.location.registry}"; push it before the manifest`,
      { registry: this.location.registry, digest: missing.d.digest },
    );
  }

  private assertManifestSize(size: number, digest: Digest): void {
    if (size <= this.maxManifestBytes) return;
    throw new OciError(
      'OCI_MANIFEST_TOO_LARGE',
      `manifest ${digest} is ${size} bytes, more than the limit of ${this.maxManifestBytes} bytes`,
      { registry: this.location.registry, digest },
    );
  }

  private blobUnknown(digest: Digest): OciError {
    return new OciError(
      'OCI_BLOB_UNKNOWN',
      `blob ${digest} not found in memory store "${this.location.registry}"`,
      {
        registry: this.location.registry,
        digest,
      },
    );
  }

  private manifestUnknown(reference: string): OciError {
    const context = isDigest(reference) ? { digest: reference } : { reference };
    return new OciError(
      'OCI_MANIFEST_UNKNOWN',
      `manifest ${reference} not found in memory store "${this.location.registry}"`,
      {
        registry: this.location.registry,
        ...context,
      },
    );
  }
}

function* slices(bytes: Buffer): Generator<Buffer> {
  for (let offset = 0; offset < bytes.length; offset += FETCH_CHUNK_BYTES) {
    yield bytes.subarray(offset, offset + FETCH_CHUNK_BYTES);
  }
}

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
