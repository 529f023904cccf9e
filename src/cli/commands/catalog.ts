import type { Command } from 'commander';
import type { CliIo } from '../io.js';
import { openRegistrySession } from '../registry-session.js';
import { type RegistryFlags, addRegistryFlags, writeJson } from '../options.js';

interface CatalogFlags extends RegistryFlags {
  prefix?: string;
}

export function registerCatalogCommand(program: Command, io: CliIo): void {
  const command = program
    .command('catalog')
    .summary('list the repositories of a registry')
    .description(
      "List the repositories of a registry (GET /v2/_catalog, every page). Docker Hub, GHCR and most public registries refuse it; private ones and Airlock's registry answer.",
    )
    .argument('<registry>', 'e.g. localhost:5000')
    .option('--prefix <path>', 'only repositories under this path (e.g. quarantine/)');
  addRegistryFlags(command).action(async (registry: string, flags: CatalogFlags) => {
    const { listRepositories } = await import('../../app/catalog-service.js');
    const session = await openRegistrySession(io, flags);
    try {
      const repositories = await listRepositories(registry, {
        session,
        prefix: flags.prefix,
        signal: io.signal,
      });
      if (flags.json) writeJson(io, repositories);
      else if (repositories.length > 0) io.stdout.write(`${repositories.join('\n')}\n`);
    } finally {
      await session.close();
    }
  });
}
