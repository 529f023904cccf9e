import { type TagFilter, selectTags } from '../oci/tags/index.js';
import { type TargetSpec, formatRepository, isAttachmentTag, parseTargetSpec } from '../oci/ref/index.js';
import type { RegistrySession } from '../oci/remote/index.js';
import { AppError } from '../kernel/index.js';
import { OciLayoutStore } from '../oci/layout/index.js';
import { type CopyReport, type CopyServiceOptions, copyImages } from './copy-service.js';

export interface SyncResult {
  /** Tags found at the source (attachments excluded). */
  available: number;
  selected: string[];
  reports: CopyReport[];
}

/**
 * Mirrors every tag of a repository (or those the filter selects) into another one — the
 * `skopeo sync` / `regsync once` use case — in one copy run sharing blobs and connections.
 */
export async function syncRepository(
  source: string,
  destination: string,
  filter: TagFilter,
  options: CopyServiceOptions,
): Promise<SyncResult> {
  const from = parseTargetSpec(source);
  const to = parseTargetSpec(destination);
  assertRepository(from, source, 'source');
  assertRepository(to, destination, 'destination');
  const tags: string[] = [];
  for await (const tag of await tagSource(from, options.session, options.signal))
    if (!isAttachmentTag(tag)) tags.push(tag);
  const selected = selectTags(tags, filter);
  const specs = selected.map((tag) => ({ source: withTag(from, tag), destination: withTag(to, tag) }));
  const reports = specs.length > 0 ? await copyImages(specs, options) : [];
  return { available: tags.length, selected, reports };
}

async function tagSource(
  spec: TargetSpec,
  session: RegistrySession,
  signal?: AbortSignal,
): Promise<AsyncIterable<string>> {
  if (spec.kind === 'remote') return (await session.repository(spec.reference)).listTags({ signal });
  return (await OciLayoutStore.open(spec.path, { signal })).listTags({ signal });
}

function withTag(spec: TargetSpec, tag: string): string {
  return spec.kind === 'remote' ? `${formatRepository(spec.reference)}:${tag}` : `oci:${spec.path}:${tag}`;
}

function assertRepository(spec: TargetSpec, text: string, side: string): void {
  const named =
    spec.kind === 'remote' ? (spec.reference.tag ?? spec.reference.digest) : (spec.tag ?? spec.digest);
  if (named)
    throw new AppError(
      'USAGE_INVALID',
      `sync ${side} "${text}" must be a repository without tag or digest; use --include to pick tags`,
    );
}
