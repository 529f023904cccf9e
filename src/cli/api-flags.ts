import type { Command } from 'commander';
import type { ApiClient } from './api-client.js';
import type { CliIo } from './io.js';

/** Where `airlock serve` listens by default. */
export const DEFAULT_SERVER = 'http://127.0.0.1:8080';

export interface ApiFlags {
  server?: string;
  token?: string;
  json?: boolean;
}

/** Flags every command that talks to the API shares. */
export function addApiFlags(command: Command): Command {
  return command
    .option('--server <url>', `Airlock API address (default $AIRLOCK_SERVER, else ${DEFAULT_SERVER})`)
    .option('--token <token>', 'API token (default $AIRLOCK_TOKEN, which keeps it out of process listings)')
    .option('--json', 'print machine-readable JSON on stdout');
}

/** The API client for these flags; its HTTP stack is loaded when a command first needs it. */
export async function apiClientFor(flags: ApiFlags, io: CliIo): Promise<ApiClient> {
  const { ApiClient } = await import('./api-client.js');
  const server = flags.server ?? (io.env.AIRLOCK_SERVER || DEFAULT_SERVER);
  const token = flags.token ?? (io.env.AIRLOCK_TOKEN || undefined);
  return new ApiClient({ server, token });
}
