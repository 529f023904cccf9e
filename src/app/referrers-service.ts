import { OciError } from '../kernel/index.js';
import type { ReadOnlyTarget } from '../oci/content/index.js';
import type { Descriptor } from '../oci/manifest/index.js';
import { cosignTags, parseTargetSpec } from '../oci/ref/index.js';
import type { RegistrySession } from '../oci/remote/index.js';
import { openSource } from './registry-access.js';

export interface ReferrerNode {
  descriptor: Descriptor;
  /** `referrer`: OCI subject relation; `cosign-tag`: found under cosign's `<alg>-<hex>.<suffix>` tag. */
  via: 'subject' | 'referrer' | 'cosign-tag';
  tag?: string;
  referrers: ReferrerNode[];
}

export interface DiscoverOptions {
  session: RegistrySession;
  artifactType?: string;
  /** How deep to follow referrers of referrers. Default 4. */
  depth?: number;
  signal?: AbortSignal;
}

/** The referrer tree of an image: OCI referrers (API or fallback) and cosign tag attachments, recursively. */
export async function discoverReferrers(location: string, options: DiscoverOptions): Promise<ReferrerNode> {
  const { target, reference } = await openSource(parseTargetSpec(location), options.session, options.signal);
  const root = await target.resolve(reference, { signal: options.signal });
  const node: ReferrerNode = { descriptor: root, via: 'subject', referrers: [] };
  await expand(target, node, options.depth ?? 4, new Set([root.digest]), options);
  return node;
}

async function expand(
  target: ReadOnlyTarget,
  node: ReferrerNode,
  depth: number,
  seen: Set<string>,
  options: DiscoverOptions,
): Promise<void> {
  if (depth <= 0) return;
  const signal = options.signal;
  const found: ReferrerNode[] = (
    await target.listReferrers(node.descriptor, { artifactType: options.artifactType, signal })
  ).map((descriptor) => ({
    descriptor,
    via: 'referrer',
    referrers: [],
  }));
  for (const { tag } of cosignTags(node.descriptor.digest)) {
    try {
      const descriptor = await target.resolve(tag, { signal });
      if (!options.artifactType || descriptor.artifactType === options.artifactType)
        found.push({ descriptor, via: 'cosign-tag', tag, referrers: [] });
    } catch (error) {
      if (!(
        error instanceof OciError &&
        (error.code === 'OCI_MANIFEST_UNKNOWN' || error.code === 'OCI_NAME_UNKNOWN')
      ))
        throw error;
    }
  }
  for (const child of found) {
    if (seen.has(child.descriptor.digest)) continue;
    seen.add(child.descriptor.digest);
    node.referrers.push(child);
    await expand(target, child, depth - 1, seen, options);
  }
}
