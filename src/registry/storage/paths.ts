import { join } from 'node:path';
import { parseDigest, type Digest } from '../../kernel/index.js';

/**
 * Where everything lives under the registry's root directory. Repository metadata sits
 * beside the repository's path components under names that start with `_`, which the
 * distribution-spec name grammar cannot produce, so no repository can collide with them
 * (the same trick CNCF distribution's filesystem layout uses).
 *
 * ```
 * blobs/<alg>/<2 hex>/<hex>                              content, manifests included
 * repositories/<name>/_layers/<alg>/<hex>                blob linked into the repository
 * repositories/<name>/_manifests/revisions/<alg>/<hex>   manifest in the repository (its media type)
 * repositories/<name>/_manifests/tags/<tag>              tag → digest
 * repositories/<name>/_referrers/<alg>/<hex>/<alg>-<hex> one file per (subject, referrer) pair
 * uploads/<id>/{state.json,data}                         upload sessions, shared by all processes
 * tmp/                                                   staging for atomic renames
 * ```
 */
export class StoragePaths {
  readonly blobsDir: string;
  readonly repositoriesDir: string;
  readonly uploadsDir: string;
  readonly tmpDir: string;

  constructor(readonly root: string) {
    this.blobsDir = join(root, 'blobs');
    this.repositoriesDir = join(root, 'repositories');
    this.uploadsDir = join(root, 'uploads');
    this.tmpDir = join(root, 'tmp');
  }

  blob(digest: Digest): string {
    const { algorithm, encoded } = parseDigest(digest);
    return join(this.blobsDir, algorithm, encoded.slice(0, 2), encoded);
  }

  repository(name: string): string {
    return join(this.repositoriesDir, name);
  }

  layerLink(name: string, digest: Digest): string {
    const { algorithm, encoded } = parseDigest(digest);
    return join(this.repositoriesDir, name, '_layers', algorithm, encoded);
  }

  layersDir(name: string): string {
    return join(this.repositoriesDir, name, '_layers');
  }

  revision(name: string, digest: Digest): string {
    const { algorithm, encoded } = parseDigest(digest);
    return join(this.repositoriesDir, name, '_manifests', 'revisions', algorithm, encoded);
  }

  revisionsDir(name: string): string {
    return join(this.repositoriesDir, name, '_manifests', 'revisions');
  }

  tag(name: string, tag: string): string {
    return join(this.repositoriesDir, name, '_manifests', 'tags', tag);
  }

  tagsDir(name: string): string {
    return join(this.repositoriesDir, name, '_manifests', 'tags');
  }

  referrersOf(name: string, subject: Digest): string {
    const { algorithm, encoded } = parseDigest(subject);
    return join(this.repositoriesDir, name, '_referrers', algorithm, encoded);
  }

  referrer(name: string, subject: Digest, referrer: Digest): string {
    return join(this.referrersOf(name, subject), referrer.replace(':', '-'));
  }

  upload(id: string): string {
    return join(this.uploadsDir, id);
  }
}

/** `sha256-<hex>` (a referrer file name) back to `sha256:<hex>`. */
export function digestFromFileName(name: string): Digest {
  const dash = name.indexOf('-');
  return dash < 0 ? name : `${name.slice(0, dash)}:${name.slice(dash + 1)}`;
}
