import type { Command } from 'commander';
import type { CliIo } from '../io.js';
import { serveRegistry } from './registry.js';

interface ServeCommandFlags {
  registryListen?: string;
  data?: string;
  config?: string;
  logLevel?: string;
}

/**
 * `airlock serve`: everything Airlock runs, in one process, with embedded defaults. In this
 * release that is the built-in registry (the quarantine and golden registries); the workflow
 * engine and its API join it as they are built.
 */
export function registerServeCommand(program: Command, io: CliIo): void {
  program
    .command('serve')
    .summary('run Airlock: the built-in registry, with embedded defaults')
    .description(
      'Run Airlock in the foreground with embedded defaults: the built-in OCI registry on 127.0.0.1:5000 with its data in ./.airlock (or $AIRLOCK_DATA_DIR). Stop it with Ctrl-C.',
    )
    .option('--registry-listen <host:port>', 'where the registry listens (default 127.0.0.1:5000)')
    .option('--data <dir>', 'Airlock data directory (default $AIRLOCK_DATA_DIR, else ./.airlock)')
    .option('--config <file>', 'registry configuration (YAML): auth, namespaces, limits')
    .option('--log-level <level>', 'log level (default $AIRLOCK_LOG_LEVEL, else info)')
    .action((flags: ServeCommandFlags) =>
      serveRegistry(
        { listen: flags.registryListen, data: flags.data, config: flags.config, logLevel: flags.logLevel },
        io,
      ),
    );
}
