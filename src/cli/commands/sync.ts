import { type Command, Option } from 'commander';
import type { RepositorySelection } from '../../app/sync-service.js';
import type { CliIo } from '../io.js';
import { addRegistryFlags, collect, positiveInt } from '../options.js';
import { type CopyFlags, addCopyFlags } from './copy-flags.js';
import type { PairFlags } from './location-pairs.js';

interface SyncFlags extends CopyFlags, PairFlags {
  include?: string[];
  exclude?: string[];
  semver?: string;
  prerelease?: boolean;
  latest?: number;
}

export function registerSyncCommand(program: Command, io: CliIo): void {
  const command = program
    .command('sync')
    .summary('mirror all (or selected) tags of one or more repositories')
    .description(
      [
        'Mirror every tag of SOURCE_REPO into DEST_REPO, or the tags the filters select (include → exclude → semver → latest N). Several repositories go in one run that shares connections, blob transfers and cross-repository mounts: name them with --to PREFIX (each to PREFIX/<its repository path>) or list "SOURCE_REPO [DEST_REPO]" lines in a --file. Attachment tags (sha256-….sig, referrers fallback indexes) are handled by --referrers.',
        "Example: airlock sync docker.io/library/python localhost:5000/mirror/python --include '^3\\.1[2-4](\\.\\d+)?-slim$' --latest 3 --referrers",
        'Example: airlock sync --to registry.internal/mirror docker.io/library/alpine docker.io/library/debian',
      ].join('\n\n'),
    )
    .argument(
      '[repositories...]',
      'SOURCE_REPO DEST_REPO, or several SOURCE_REPOs with --to (registry or oci:DIR)',
    )
    .addOption(new Option('--to <prefix>', 'mirror every SOURCE_REPO to PREFIX/<repository path>'))
    .addOption(
      new Option(
        '-f, --file <file>',
        'read "SOURCE_REPO [DEST_REPO]" lines from FILE ("-" for stdin; # comments)',
      ),
    )
    .option('--include <regex>', 'keep tags matching (repeatable)', collect)
    .option('--exclude <regex>', 'drop tags matching (repeatable)', collect)
    .option('--semver <range>', "keep tags whose version satisfies RANGE (e.g. '>=22 <27')")
    .option('--prerelease', 'let --semver admit pre-releases (rc, beta)')
    .option('--latest <n>', 'keep the newest N tags by version (per repository)', positiveInt('--latest'));
  addRegistryFlags(addCopyFlags(command)).action(
    async (locations: string[], flags: SyncFlags, cmd: Command) => {
      const [{ locationPairs }, { runCopy }, { syncRepositories }] = await Promise.all([
        import('./location-pairs.js'),
        import('./copy-run.js'),
        import('../../app/sync-service.js'),
      ]);
      const pairs = await locationPairs('sync', locations, flags, io);
      let repositories: RepositorySelection[] = [];
      await runCopy(
        cmd,
        io,
        flags,
        async (options) => {
          const result = await syncRepositories(
            pairs,
            {
              include: flags.include,
              exclude: flags.exclude,
              semver: flags.semver,
              includePrerelease: flags.prerelease,
              latest: flags.latest,
            },
            options,
          );
          repositories = result.repositories;
          if (!flags.json)
            for (const r of repositories) io.stderr.write(`${r.source}: ${selectionLine(r)}\n`);
          return result.reports;
        },
        () => syncJson(repositories),
      );
    },
  );
}

function selectionLine(r: RepositorySelection): string {
  if (r.error)
    return `tags could not be listed [${r.error.code}] (reported below; the other repositories go on)`;
  // Registries answer the same for an empty repository and for a name they do not know.
  if (r.available === 0) return 'no tags (an empty repository, or no repository of that name)';
  return `${r.available} tags, ${r.selected.length} selected`;
}

/** `--json` header: the repositories with their tag counts (and, for one, its fields at the top as before). */
function syncJson(repositories: RepositorySelection[]): Record<string, unknown> {
  const described = repositories.map((r) => ({
    source: r.source,
    destination: r.destination,
    tagsAvailable: r.available,
    tagsSelected: r.selected,
    ...(r.error ? { error: r.error.toJSON() } : {}),
  }));
  return described.length === 1 ? { ...described[0], repositories: described } : { repositories: described };
}
