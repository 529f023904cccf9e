import type { Digest } from '../../kernel/index.js';
import { type Manifest, subjectOf } from '../../oci/manifest/index.js';

/**
 * Manifests of one repository that no tag reaches: a tagged manifest reaches the manifests
 * of its index and its referrers (manifests whose `subject` it is), transitively.
 */
export function findUnreachable(
  manifests: ReadonlyMap<Digest, Manifest>,
  tagged: ReadonlySet<Digest>,
): Digest[] {
  const referrersOf = new Map<Digest, Digest[]>();
  for (const [digest, manifest] of manifests) {
    const subject = subjectOf(manifest)?.digest;
    if (subject) referrersOf.set(subject, [...(referrersOf.get(subject) ?? []), digest]);
  }
  const reached = new Set<Digest>();
  const queue = [...tagged].filter((d) => manifests.has(d));
  while (queue.length > 0) {
    const digest = queue.pop()!;
    if (reached.has(digest)) continue;
    reached.add(digest);
    const manifest = manifests.get(digest);
    if (manifest?.kind === 'index')
      for (const child of manifest.index.manifests) if (manifests.has(child.digest)) queue.push(child.digest);
    for (const referrer of referrersOf.get(digest) ?? []) queue.push(referrer);
  }
  return [...manifests.keys()].filter((d) => !reached.has(d));
}
