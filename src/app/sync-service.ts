import { type TagFilter, selectTags } from '../oci/tags/index.js';
import { type TargetSpec, formatRepository, isAttachmentTag, parseTargetSpec } from '../oci/ref/index.js';
import type { RegistrySession } from '../oci/remote/index.js';
import { AppError } from '../kernel/index.js';
import { OciLayoutStore } from '../oci/layout/index.js';
import { type CopyReport, type CopyServiceOptions, type CopySpec, copyImages } from './copy-service.js';

/** One repository to mirror into another. */
export type SyncPair = CopySpec;

export interface RepositorySelection extends SyncPair {
  /** Tags found at the source (attachments excluded). */
  available: number;
  selected: string[];
}

export interface SyncResult {
  repositories: RepositorySelection[];
  /** One report per selected tag of every repository, in the order of `repositories`. */
  reports: CopyReport[];
}

/**
 * Mirrors every tag of one or more repositories (or those the filter selects) into others —
 * the `skopeo sync` / `regsync once` use case — in one copy run: one session, one blob
 * dedup, cross-repository mounts between the destinations of one registry. Tags of all
 * sources are listed at once before anything is copied, so a bad source fails the run early.
 */
export async function syncRepositories(
  pairs: readonly SyncPair[],
  filter: TagFilter,
  options: CopyServiceOptions,
): Promise<SyncResult> {
  const repositories = await Promise.all(
    pairs.map(async (pair): Promise<RepositorySelection> => {
      const from = parseTargetSpec(pair.source);
      const to = parseTargetSpec(pair.destination);
      assertRepository(from, pair.source, 'source');
      assertRepository(to, pair.destination, 'destination');
      const tags: string[] = [];
      for await (const tag of await tagSource(from, options.session, options.signal))
        if (!isAttachmentTag(tag)) tags.push(tag);
      return { ...pair, available: tags.length, selected: selectTags(tags, filter) };
    }),
  );
  const specs = repositories.flatMap((repository) => {
    const from = parseTargetSpec(repository.source);
    const to = parseTargetSpec(repository.destination);
    return repository.selected.map((tag) => ({ source: withTag(from, tag), destination: withTag(to, tag) }));
  });
  const reports = specs.length > 0 ? await copyImages(specs, options) : [];
  return { repositories, reports };
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
