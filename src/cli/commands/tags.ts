import type { Command } from 'commander';
import type { CliIo } from '../io.js';
import { openRegistrySession } from '../registry-session.js';
import { type RegistryFlags, addRegistryFlags, collect, positiveInt, writeJson } from '../options.js';

interface TagsFlags extends RegistryFlags {
  include?: string[];
  exclude?: string[];
  semver?: string;
  prerelease?: boolean;
  latest?: number;
  attachments?: boolean;
}

export function registerTagsCommand(program: Command, io: CliIo): void {
  const command = program
    .command('tags')
    .alias('ls')
    .summary('list the tags of a repository')
    .description(
      'List the tags of a repository (registry or oci:DIR), filtered by regex, semver range and newest N — the same filters as `sync`.',
    )
    .argument('<repository>', 'e.g. docker.io/library/python')
    .option('--include <regex>', 'keep tags matching (repeatable)', collect)
    .option('--exclude <regex>', 'drop tags matching (repeatable)', collect)
    .option('--semver <range>', "keep tags whose version satisfies RANGE (e.g. '>=22 <27')")
    .option('--prerelease', 'let --semver admit pre-releases')
    .option(
      '--latest <n>',
      'keep the newest N tags by version (printed newest first)',
      positiveInt('--latest'),
    )
    .option('--attachments', 'include attachment tags (sha256-….sig, referrers fallback indexes)');
  addRegistryFlags(command).action(async (repository: string, flags: TagsFlags) => {
    const { listRepositoryTags } = await import('../../app/tags-service.js');
    const session = await openRegistrySession(io, flags);
    try {
      const tags = await listRepositoryTags(repository, {
        session,
        filter: {
          include: flags.include,
          exclude: flags.exclude,
          semver: flags.semver,
          includePrerelease: flags.prerelease,
          latest: flags.latest,
        },
        attachments: flags.attachments,
        signal: io.signal,
      });
      if (flags.json) writeJson(io, tags);
      else if (tags.length > 0) io.stdout.write(`${tags.join('\n')}\n`);
    } finally {
      await session.close();
    }
  });
}
