import type { Command } from 'commander';
import { resolveDataDir } from '../../app/data-dir.js';
import { createLogger } from '../../kernel/index.js';
import { type CliIo, print } from '../io.js';
import { VERSION } from '../version.js';

interface ServeCommandFlags {
  listen?: string;
  registryListen?: string;
  registry?: boolean;
  data?: string;
  config?: string;
  logLevel?: string;
}

/**
 * `airlock serve`: everything in one process with embedded defaults — the HTTP API and its
 * docs, the built-in registry, and a workflow worker, on the embedded Postgres in the data
 * directory (or `DATABASE_URL`).
 */
export function registerServeCommand(program: Command, io: CliIo): void {
  program
    .command('serve')
    .summary('run Airlock: API, built-in registry and a workflow worker')
    .description(
      'Run Airlock in the foreground with embedded defaults: the HTTP API on 127.0.0.1:8080 (docs at /api/docs), the built-in OCI registry on 127.0.0.1:5000, and a workflow worker, with their data in ./.airlock (or $AIRLOCK_DATA_DIR) and the embedded Postgres unless DATABASE_URL is set. On the first start an admin API token is printed, once. Stop with Ctrl-C.',
    )
    .option('--listen <host:port>', 'where the API listens (default 127.0.0.1:8080)')
    .option('--registry-listen <host:port>', 'where the registry listens (default 127.0.0.1:5000)')
    .option('--no-registry', 'do not run the built-in registry')
    .option('--data <dir>', 'Airlock data directory (default $AIRLOCK_DATA_DIR, else ./.airlock)')
    .option('--config <file>', 'registry configuration (YAML): auth, namespaces, limits')
    .option('--log-level <level>', 'log level (default $AIRLOCK_LOG_LEVEL, else info)')
    .action(async (flags: ServeCommandFlags) => {
      // Loaded when the command runs: other commands need not parse the server.
      const { serve } = await import('../../app/serve.js');
      const { loadRegistryConfigFile } = await import('../../app/registry.js');
      const logger = createLogger({ level: flags.logLevel, destination: io.stderr });
      await serve({
        dataDir: resolveDataDir(flags.data, io.env),
        env: io.env,
        logger,
        ...(flags.listen ? { listen: flags.listen } : {}),
        registryListen: flags.registry === false ? false : flags.registryListen,
        ...(flags.config
          ? { registryConfig: await loadRegistryConfigFile(flags.config, { signal: io.signal }) }
          : {}),
        version: VERSION,
        signal: io.signal,
        onReady: (ready) => {
          print(io.stdout, `Airlock ${VERSION} is running`);
          print(io.stdout, `  API        ${ready.api}  (docs ${ready.docs})`);
          if (ready.registry)
            print(
              io.stdout,
              `  registry   ${ready.registry.url}  (storage ${ready.registry.root}; ${ready.registry.auth === 'open' ? 'anonymous push and pull on loopback' : 'token auth'})`,
            );
          print(io.stdout, `  worker     ${ready.workerId}`);
          print(io.stdout, `  database   ${ready.database}`);
          if (ready.bootstrapToken) {
            print(io.stdout, '');
            print(
              io.stdout,
              `  Admin API token (shown this once; it is stored hashed): ${ready.bootstrapToken}`,
            );
            print(
              io.stdout,
              '  Use it with: export AIRLOCK_TOKEN=<token>; then create personal tokens with `airlock token create` and revoke this one.',
            );
          }
        },
      });
    });
}
