import type { Logger } from '../kernel/index.js';
import type { RegistrySession } from '../oci/remote/index.js';
import type { CliIo } from './io.js';
import { type RegistryFlags, cliLogger } from './options.js';

/**
 * The registry session a command's flags ask for (credentials from the environment and
 * Docker's config, `--insecure` hosts). The registry client is loaded here, when a command
 * first talks to a registry, so that `--help` and the commands that never do skip it.
 */
export async function openRegistrySession(
  io: CliIo,
  flags: RegistryFlags,
  logger: Logger = cliLogger(io, flags),
): Promise<RegistrySession> {
  const { createRegistrySession } = await import('../app/registry-access.js');
  return createRegistrySession({ env: io.env, insecure: flags.insecure, logger });
}
