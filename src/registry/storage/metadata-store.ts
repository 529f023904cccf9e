import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { type Clock, type Digest, isDigest } from '../../kernel/index.js';
import { isValidTag } from '../names.js';
import { type Durability, isNotFound, removeFile, touchFile, writeFileAtomic } from './atomic.js';
import type { StoragePaths } from './paths.js';
import { StatCache } from './stat-cache.js';
import type { CallOptions } from '../../oci/content/index.js';

export interface MetadataStoreOptions {
  paths: StoragePaths;
  durability: Durability;
  clock: Clock;
  /** Entries of each of the tag and revision caches. */
  cacheEntries?: number;
}

/** Tags and revision lookups kept in memory per process (validated by stat on every use). */
const DEFAULT_CACHE_ENTRIES = 10_000;

/**
 * Per-repository metadata as one small file per fact: tag → digest, manifest revision
 * (its media type), blob link. Every write is an atomic rename of a whole file and no write
 * reads a shared file first, so several processes can update one repository concurrently
 * without losing updates, and a crash leaves each fact either old or new.
 */
export class MetadataStore {
  private readonly paths: StoragePaths;
  private readonly durability: Durability;
  private readonly clock: Clock;
  private readonly tags: StatCache<Digest | undefined>;
  private readonly revisions: StatCache<string>;

  constructor(options: MetadataStoreOptions) {
    this.paths = options.paths;
    this.durability = options.durability;
    this.clock = options.clock;
    const entries = options.cacheEntries ?? DEFAULT_CACHE_ENTRIES;
    this.tags = new StatCache(entries, (bytes) => {
      const text = bytes.toString('utf8').trim();
      return isDigest(text) ? text : undefined;
    });
    this.revisions = new StatCache(entries, (bytes) => bytes.toString('utf8').trim());
  }

  resolveTag(repository: string, tag: string): Promise<Digest | undefined> {
    return this.tags.get(this.paths.tag(repository, tag));
  }

  async setTag(repository: string, tag: string, digest: Digest, { signal }: CallOptions = {}): Promise<void> {
    const path = this.paths.tag(repository, tag);
    await writeFileAtomic(this.paths.tmpDir, path, digest, this.durability, { signal });
    this.tags.invalidate(path);
  }

  async deleteTag(repository: string, tag: string): Promise<boolean> {
    const path = this.paths.tag(repository, tag);
    this.tags.invalidate(path);
    return removeFile(path);
  }

  /** Tags in byte order (distribution-spec "Listing Tags": lexical order). */
  async listTags(repository: string): Promise<string[]> {
    const names = await listDir(this.paths.tagsDir(repository));
    return names.filter(isValidTag).sort(compareBytes);
  }

  async tagsPointingTo(repository: string, digest: Digest): Promise<string[]> {
    const tags = await this.listTags(repository);
    const resolved = await Promise.all(tags.map((tag) => this.resolveTag(repository, tag)));
    return tags.filter((_, i) => resolved[i] === digest);
  }

  /** The media type the manifest was pushed with, or undefined when it is not in the repository. */
  getRevision(repository: string, digest: Digest): Promise<string | undefined> {
    return this.revisions.get(this.paths.revision(repository, digest));
  }

  async putRevision(
    repository: string,
    digest: Digest,
    mediaType: string,
    { signal }: CallOptions = {},
  ): Promise<void> {
    const path = this.paths.revision(repository, digest);
    await writeFileAtomic(this.paths.tmpDir, path, mediaType, this.durability, { signal });
    this.revisions.invalidate(path);
  }

  async deleteRevision(repository: string, digest: Digest): Promise<boolean> {
    const path = this.paths.revision(repository, digest);
    this.revisions.invalidate(path);
    return removeFile(path);
  }

  touchRevision(repository: string, digest: Digest): Promise<boolean> {
    return touchFile(this.paths.revision(repository, digest), new Date(this.clock.now()));
  }

  async listRevisions(repository: string): Promise<Digest[]> {
    return listDigests(this.paths.revisionsDir(repository));
  }

  async hasLayerLink(repository: string, digest: Digest): Promise<boolean> {
    return (await this.layerLinkExists(this.paths.layerLink(repository, digest))) !== undefined;
  }

  /** Links a blob into a repository; a link that exists already is left alone. */
  async linkLayer(repository: string, digest: Digest, { signal }: CallOptions = {}): Promise<void> {
    const path = this.paths.layerLink(repository, digest);
    if (await this.layerLinkExists(path)) return;
    // Only the link's existence is read, so its content needs no fsync; its rename does.
    await writeFileAtomic(this.paths.tmpDir, path, digest, this.durability, { signal, syncContent: false });
  }

  unlinkLayer(repository: string, digest: Digest): Promise<boolean> {
    return removeFile(this.paths.layerLink(repository, digest));
  }

  async listLayerLinks(repository: string): Promise<Digest[]> {
    return listDigests(this.paths.layersDir(repository));
  }

  /** A repository exists once anything (a blob link or a manifest) was pushed to it. */
  async repositoryExists(repository: string): Promise<boolean> {
    const entries = await listDir(this.paths.repository(repository));
    return entries.includes('_manifests') || entries.includes('_layers');
  }

  /** Every repository, in byte order. */
  async listRepositories(): Promise<string[]> {
    const found: string[] = [];
    await walkRepositories(this.paths.repositoriesDir, '', found);
    return found.sort(compareBytes);
  }

  private async layerLinkExists(path: string): Promise<true | undefined> {
    try {
      await stat(path);
      return true;
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  }
}

async function walkRepositories(dir: string, prefix: string, found: string[]): Promise<void> {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (error) {
    if (isNotFound(error)) return;
    throw error;
  }
  if (prefix !== '' && entries.some((e) => e.name === '_manifests' || e.name === '_layers'))
    found.push(prefix);
  for (const entry of entries) {
    if (!entry.isDirectory() || entry.name.startsWith('_')) continue;
    await walkRepositories(
      join(dir, entry.name),
      prefix === '' ? entry.name : `${prefix}/${entry.name}`,
      found,
    );
  }
}

/** Digests stored as `<dir>/<alg>/<hex>` files. */
async function listDigests(dir: string): Promise<Digest[]> {
  const out: Digest[] = [];
  for (const algorithm of await listDir(dir)) {
    for (const encoded of await listDir(join(dir, algorithm))) {
      const digest = `${algorithm}:${encoded}`;
      if (isDigest(digest)) out.push(digest);
    }
  }
  return out;
}

export async function listDir(dir: string): Promise<string[]> {
  try {
    return await readdir(dir);
  } catch (error) {
    if (isNotFound(error)) return [];
    throw error;
  }
}

export function compareBytes(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
