import type { FileHandle } from 'node:fs/promises';
import { type Digest, OciError } from '../../kernel/index.js';
import type { BlobStore } from '../storage/blob-store.js';
import type { MetadataStore } from '../storage/metadata-store.js';
import type { CallOptions } from '../../oci/content/index.js';

export interface OpenBlob {
  handle: FileHandle;
  size: number;
}

/**
 * Blobs as a repository sees them: content that exists and is linked into the repository
 * (pushed, mounted or — for manifests — stored as a revision there). Repository scoping is
 * what lets namespaces carry different permissions over one content-addressed store.
 */
export class BlobService {
  constructor(
    private readonly blobs: BlobStore,
    private readonly metadata: MetadataStore,
  ) {}

  /** Size of the blob when the repository holds it. */
  async size(repository: string, digest: Digest): Promise<number | undefined> {
    if (!(await this.isLinked(repository, digest))) return undefined;
    return (await this.blobs.stat(digest))?.size;
  }

  async open(repository: string, digest: Digest): Promise<OpenBlob | undefined> {
    if (!(await this.isLinked(repository, digest))) return undefined;
    const handle = await this.blobs.open(digest);
    if (!handle) return undefined;
    try {
      return { handle, size: (await handle.stat()).size };
    } catch (error) {
      await handle.close();
      throw error;
    }
  }

  /** Unlinks the blob from the repository; the content goes when gc finds it unreferenced. */
  async delete(repository: string, digest: Digest): Promise<void> {
    if (!(await this.metadata.unlinkLayer(repository, digest))) {
      throw new OciError('OCI_BLOB_UNKNOWN', `blob ${digest} is not in repository ${repository}`, {
        repository,
        digest,
      });
    }
  }

  /**
   * Cross-repository mount (distribution-spec "Mounting a blob from another repository"):
   * links the blob when `from` holds it; false when it does not (the caller then opens an
   * upload session).
   */
  async mount(
    repository: string,
    digest: Digest,
    from: string,
    { signal }: CallOptions = {},
  ): Promise<boolean> {
    if (!(await this.metadata.hasLayerLink(from, digest))) return false;
    if (!(await this.blobs.touch(digest))) return false;
    await this.metadata.linkLayer(repository, digest, { signal });
    return true;
  }

  link(repository: string, digest: Digest, { signal }: CallOptions = {}): Promise<void> {
    return this.metadata.linkLayer(repository, digest, { signal });
  }

  private async isLinked(repository: string, digest: Digest): Promise<boolean> {
    if (await this.metadata.hasLayerLink(repository, digest)) return true;
    // Manifests are readable through the blobs endpoint too, as with CNCF distribution.
    return (await this.metadata.getRevision(repository, digest)) !== undefined;
  }
}
