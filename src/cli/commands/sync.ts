import type { Command } from 'commander';
import { syncRepository } from '../../app/sync-service.js';
import type { CliIo } from '../io.js';
import { addRegistryFlags, collect, positiveInt } from '../options.js';
import { type CopyFlags, addCopyFlags, runCopy } from './copy-run.js';

interface SyncFlags extends CopyFlags {
  include?: string[];
  exclude?: string[];
  semver?: string;
  prerelease?: boolean;
  latest?: number;
}

export function registerSyncCommand(program: Command, io: CliIo): void {
  const command = program
    .command('sync')
    .summary('mirror all (or selected) tags of a repository')
    .description(
      [
        'Mirror every tag of SOURCE_REPO into DEST_REPO, or the tags the filters select (include → exclude → semver → latest N), in one run that shares blobs and connections. Attachment tags (sha256-….sig, referrers fallback indexes) are handled by --referrers.',
        "Example: airlock sync docker.io/library/python localhost:5000/mirror/python --include '^3\\.1[2-4](\\.\\d+)?-slim$' --latest 3 --referrers",
      ].join('\n\n'),
    )
    .argument('<source-repo>', 'repository to read (registry or oci:DIR)')
    .argument('<dest-repo>', 'repository to write (registry or oci:DIR)')
    .option('--include <regex>', 'keep tags matching (repeatable)', collect)
    .option('--exclude <regex>', 'drop tags matching (repeatable)', collect)
    .option('--semver <range>', "keep tags whose version satisfies RANGE (e.g. '>=22 <27')")
    .option('--prerelease', 'let --semver admit pre-releases (rc, beta)')
    .option('--latest <n>', 'keep the newest N tags by version', positiveInt('--latest'));
  addRegistryFlags(addCopyFlags(command)).action(
    async (source: string, destination: string, flags: SyncFlags, cmd: Command) => {
      let selected: string[] = [];
      let available = 0;
      await runCopy(
        cmd,
        io,
        flags,
        async (options) => {
          const result = await syncRepository(
            source,
            destination,
            {
              include: flags.include,
              exclude: flags.exclude,
              semver: flags.semver,
              includePrerelease: flags.prerelease,
              latest: flags.latest,
            },
            options,
          );
          selected = result.selected;
          available = result.available;
          if (!flags.json) io.stderr.write(`${source}: ${available} tags, ${selected.length} selected\n`);
          return result.reports;
        },
        () => ({ source, destination, tagsAvailable: available, tagsSelected: selected }),
      );
    },
  );
}
