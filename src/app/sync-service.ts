import { type TagFilter, tagSelector } from '../oci/tags/index.js';
import { type TargetSpec, formatRepository, isAttachmentTag, parseTargetSpec } from '../oci/ref/index.js';
import type { RegistrySession } from '../oci/remote/index.js';
import { AppError, toAppError } from '../kernel/index.js';
import { OciLayoutStore } from '../oci/layout/index.js';
import { type CopyReport, type CopyServiceOptions, type CopySpec, copyImages } from './copy-service.js';

/** One repository to mirror into another. */
export type SyncPair = CopySpec;

export interface RepositorySelection extends SyncPair {
  /** Tags found at the source (attachments excluded); 0 when they could not be listed. */
  available: number;
  selected: string[];
  /** Why the source's tags could not be listed; the other repositories are mirrored regardless. */
  error?: AppError;
}

export interface SyncResult {
  repositories: RepositorySelection[];
  /**
   * One report per selected tag of every repository, in the order of `repositories`, and one
   * failed report (with the repository's own locations) for each source that could not be listed.
   */
  reports: CopyReport[];
}

/**
 * Mirrors every tag of one or more repositories (or those the filter selects) into others —
 * the `skopeo sync` / `regsync once` use case — in one copy run: one session, one blob
 * dedup, cross-repository mounts between the destinations of one registry. Every location is
 * checked before anything moves (a tag or digest where a repository belongs is a usage error);
 * a source whose tags cannot be listed (gone, forbidden, unreachable) is reported as failed
 * and the others are mirrored, as a nightly mirror of many repositories needs.
 */
export async function syncRepositories(
  pairs: readonly SyncPair[],
  filter: TagFilter,
  options: CopyServiceOptions,
): Promise<SyncResult> {
  const parsed = pairs.map((pair) => {
    const from = parseTargetSpec(pair.source);
    const to = parseTargetSpec(pair.destination);
    assertRepository(from, pair.source, 'source');
    assertRepository(to, pair.destination, 'destination');
    return { pair, from, to };
  });
  // The filter is checked once, up front: a bad regex or range is the user's, not a repository's.
  const select = tagSelector(filter);
  const repositories = await Promise.all(
    parsed.map(async ({ pair, from }): Promise<RepositorySelection> => {
      try {
        const tags: string[] = [];
        for await (const tag of await tagSource(from, options.session, options.signal))
          if (!isAttachmentTag(tag)) tags.push(tag);
        return { ...pair, available: tags.length, selected: select(tags) };
      } catch (error) {
        if (options.signal?.aborted) throw error;
        return { ...pair, available: 0, selected: [], error: toAppError(error) };
      }
    }),
  );
  const specs = parsed.flatMap(({ from, to }, index) =>
    repositories[index]!.selected.map((tag) => ({
      source: withTag(from, tag),
      destination: withTag(to, tag),
    })),
  );
  const copied = specs.length > 0 ? await copyImages(specs, options) : [];
  const unlisted = repositories
    .filter((repository) => repository.error)
    .map((repository) => ({
      source: repository.source,
      destination: repository.destination,
      error: repository.error,
      scope: 'repository' as const,
    }));
  return { repositories, reports: [...copied, ...unlisted] };
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
