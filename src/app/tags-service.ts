import { isAttachmentTag, parseTargetSpec } from '../oci/ref/index.js';
import type { RegistrySession } from '../oci/remote/index.js';
import { type TagFilter, selectTags } from '../oci/tags/index.js';
import { AppError } from '../kernel/index.js';
import { OciLayoutStore } from '../oci/layout/index.js';

export interface ListTagsOptions {
  session: RegistrySession;
  filter: TagFilter;
  /** Keep attachment tags (`sha256-….sig`, referrers fallback indexes). Default false. */
  attachments?: boolean;
  signal?: AbortSignal;
}

/** Tags of a repository (registry or OCI layout), filtered like `sync` filters them. */
export async function listRepositoryTags(location: string, options: ListTagsOptions): Promise<string[]> {
  const spec = parseTargetSpec(location);
  const named =
    spec.kind === 'remote' ? (spec.reference.tag ?? spec.reference.digest) : (spec.tag ?? spec.digest);
  if (named)
    throw new AppError('USAGE_INVALID', `"${location}" names a tag or digest; give the repository only`);
  const source =
    spec.kind === 'remote'
      ? await options.session.repository(spec.reference)
      : await OciLayoutStore.open(spec.path, { signal: options.signal });
  const tags: string[] = [];
  for await (const tag of source.listTags({ signal: options.signal }))
    if (options.attachments || !isAttachmentTag(tag)) tags.push(tag);
  return selectTags(tags, options.filter);
}
