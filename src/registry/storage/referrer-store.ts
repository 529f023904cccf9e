import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type Digest, isDigest } from '../../kernel/index.js';
import type { Descriptor } from '../../oci/manifest/index.js';
import { type Durability, isNotFound, removeFile, writeFileAtomic } from './atomic.js';
import { compareBytes, listDir } from './metadata-store.js';
import { digestFromFileName, type StoragePaths } from './paths.js';
import type { CallOptions } from '../../oci/content/index.js';

export interface ReferrerStoreOptions {
  paths: StoragePaths;
  durability: Durability;
}

/**
 * The Referrers API index (distribution-spec v1.1 "Listing Referrers") as one small file per
 * (subject, referrer) pair holding the referrer's descriptor. Adding or removing a referrer
 * never rewrites a shared list, so concurrent pushes of referrers to one subject — from any
 * number of processes — cannot lose each other's entries.
 */
export class ReferrerStore {
  private readonly paths: StoragePaths;
  private readonly durability: Durability;

  constructor(options: ReferrerStoreOptions) {
    this.paths = options.paths;
    this.durability = options.durability;
  }

  async put(
    repository: string,
    subject: Digest,
    descriptor: Descriptor,
    { signal }: CallOptions = {},
  ): Promise<void> {
    const path = this.paths.referrer(repository, subject, descriptor.digest);
    await writeFileAtomic(this.paths.tmpDir, path, JSON.stringify(descriptor), this.durability, { signal });
  }

  delete(repository: string, subject: Digest, referrer: Digest): Promise<boolean> {
    return removeFile(this.paths.referrer(repository, subject, referrer));
  }

  /** The recorded referrers of a subject, ordered by referrer digest. */
  async list(repository: string, subject: Digest, { signal }: CallOptions = {}): Promise<Descriptor[]> {
    const dir = this.paths.referrersOf(repository, subject);
    const names = (await listDir(dir))
      .filter((name) => isDigest(digestFromFileName(name)))
      .sort(compareBytes);
    const read = await Promise.all(names.map((name) => readDescriptor(join(dir, name), signal)));
    return read.filter((d): d is Descriptor => d !== undefined);
  }
}

async function readDescriptor(path: string, signal?: AbortSignal): Promise<Descriptor | undefined> {
  try {
    const value = JSON.parse(await readFile(path, { encoding: 'utf8', signal })) as Descriptor;
    return isDigest(value.digest) ? value : undefined;
  } catch (error) {
    // Removed between listing and reading: it is simply no longer a referrer.
    if (isNotFound(error)) return undefined;
    throw error;
  }
}
