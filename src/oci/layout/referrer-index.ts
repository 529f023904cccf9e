import { throwIfAborted, type Digest } from '../../kernel/index.js';
import { isManifestMediaType } from '../mediatype/index.js';
import { subjectOf, type Descriptor, type Manifest } from '../manifest/index.js';
import { referrerDescriptorOf } from '../content/index.js';

/**
 * Which manifests of a layout refer to which subject. An image layout has no referrers
 * API, so the map is built by reading the manifests index.json reaches (oras writes
 * referrers into a layout as untagged index.json entries) and then kept up to date.
 */
export class ReferrerIndex {
  private readonly bySubject = new Map<Digest, Map<Digest, Descriptor>>();
  private readonly subjectOfReferrer = new Map<Digest, Digest>();

  /** Records a manifest; one without a subject is ignored. */
  record(manifest: Manifest): void {
    const subject = subjectOf(manifest)?.digest;
    if (!subject) return;
    const digest = manifest.descriptor.digest;
    const listed = this.bySubject.get(subject) ?? new Map<Digest, Descriptor>();
    listed.set(digest, referrerDescriptorOf(manifest));
    this.bySubject.set(subject, listed);
    this.subjectOfReferrer.set(digest, subject);
  }

  forget(referrer: Digest): void {
    const subject = this.subjectOfReferrer.get(referrer);
    if (subject === undefined) return;
    this.subjectOfReferrer.delete(referrer);
    const listed = this.bySubject.get(subject);
    listed?.delete(referrer);
    if (listed?.size === 0) this.bySubject.delete(subject);
  }

  list(subject: Digest, artifactType?: string): Descriptor[] {
    const listed = [...(this.bySubject.get(subject)?.values() ?? [])];
    const wanted =
      artifactType === undefined ? listed : listed.filter((d) => d.artifactType === artifactType);
    return structuredClone(wanted);
  }
}

export interface ScanReferrersOptions {
  signal?: AbortSignal;
}

/**
 * Builds the referrer index from index.json's entries and, recursively, the children of
 * indexes among them. `read` returns undefined for a manifest whose blob is absent (a
 * partial layout, e.g. one platform copied out of an index), which is skipped; corrupt
 * manifests make the scan fail rather than silently hide their referrers.
 */
export async function scanReferrers(
  entries: readonly Descriptor[],
  read: (descriptor: Descriptor) => Promise<Manifest | undefined>,
  options: ScanReferrersOptions = {},
): Promise<ReferrerIndex> {
  const index = new ReferrerIndex();
  const seen = new Set<Digest>();
  const queue = [...entries];
  for (let next = queue.shift(); next !== undefined; next = queue.shift()) {
    throwIfAborted(options.signal);
    if (seen.has(next.digest) || !isManifestMediaType(next.mediaType)) continue;
    seen.add(next.digest);
    const manifest = await read(next);
    if (!manifest) continue;
    index.record(manifest);
    if (manifest.kind === 'index') queue.push(...manifest.index.manifests);
  }
  return index;
}
