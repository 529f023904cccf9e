import type { Command } from 'commander';
import type { GcReport, RegistryConfig } from '../../app/registry.js';

/** The registry and its storage, loaded when a registry command runs. */
const registry = () => import('../../app/registry.js');
import { resolveDataDir } from '../../app/data-dir.js';
import { AppError, createLogger } from '../../kernel/index.js';
import { type CliIo, print, readAll } from '../io.js';
import { formatBytes } from '../render/format.js';

/** Grace period of `registry gc`: longer than any push takes between uploading a blob and its manifest. */
const DEFAULT_GC_GRACE = '1h';
/** More worker processes than this is a typo, not a deployment. */
const MAX_WORKERS = 64;

export interface ServeFlags {
  listen?: string;
  workers?: string;
  data?: string;
  config?: string;
  logLevel?: string;
}

interface GcFlags {
  data?: string;
  config?: string;
  dryRun?: boolean;
  grace: string;
  deleteUntagged?: boolean;
  json?: boolean;
}

/** `airlock registry`: run the built-in OCI registry, collect its garbage, hash secrets for its config. */
export function registerRegistryCommand(program: Command, io: CliIo): void {
  const registry = program
    .command('registry')
    .description("Airlock's built-in OCI registry (distribution-spec v1.1, token auth, gated pulls)");

  // The default subcommand, so that `airlock registry --listen …` serves; a separate command
  // keeps its options from swallowing those of `gc`.
  registry
    .command('serve', { isDefault: true })
    .description('Serve the registry (the default)')
    .option('--listen <host:port>', 'address to listen on (default 127.0.0.1:5000)')
    .option('--data <dir>', 'Airlock data directory (default $AIRLOCK_DATA_DIR, else ./.airlock)')
    .option('--config <file>', 'registry configuration (YAML): auth, namespaces, limits')
    .option('--workers <n>', 'processes serving the port and storage together (default 1; e.g. one per core)')
    .option(
      '--log-level <level>',
      'log level: debug shows every request (default $AIRLOCK_LOG_LEVEL, else info)',
    )
    .action((flags: ServeFlags) => serveRegistry(flags, io));

  registry
    .command('gc')
    .description(
      'Remove blobs and manifests nothing references, and expired uploads; safe while the registry serves',
    )
    .option('--data <dir>', 'Airlock data directory (default $AIRLOCK_DATA_DIR, else ./.airlock)')
    .option('--config <file>', 'registry configuration (for the upload expiry)')
    .option('--dry-run', 'only report what would be removed')
    .option('--grace <duration>', 'keep anything touched more recently than this', DEFAULT_GC_GRACE)
    .option(
      '--delete-untagged',
      'also remove manifests no tag reaches (directly, through an index, or as a referrer)',
    )
    .option('--json', 'print the report as JSON')
    .action((flags: GcFlags) => gc(flags, io));

  registry
    .command('hash-password')
    .description('Read a password from standard input and print its hash for auth.users[].passwordHash')
    .option(
      '--robot',
      'instead, generate a robot token and print it with its hash for auth.robots[].tokenHash',
    )
    .action((flags: { robot?: boolean }) => hashSecret(flags, io));
}

/** Runs the registry until interrupted, printing where it listens. */
export async function serveRegistry(flags: ServeFlags, io: CliIo): Promise<void> {
  const dataDir = resolveDataDir(flags.data, io.env);
  const config = await loadConfig(flags.config, io);
  const logger = createLogger({
    level: flags.logLevel,
    base: { component: 'registry' },
    destination: io.stderr,
  });
  const { runRegistry } = await import('../../app/registry-cluster.js');
  await runRegistry({
    dataDir,
    listen: flags.listen,
    config,
    logger,
    workers: parseWorkers(flags.workers),
    signal: io.signal,
    onListening: (running) => {
      const auth =
        running.auth === 'open'
          ? 'anonymous push and pull (loopback only)'
          : `token auth at ${running.url}/token`;
      print(io.stdout, `Airlock registry listening on ${running.url} (storage ${running.root}; ${auth})`);
    },
  });
}

function parseWorkers(value: string | undefined): number {
  if (value === undefined) return 1;
  const workers = Number(value);
  if (!Number.isInteger(workers) || workers < 1 || workers > MAX_WORKERS) {
    throw new AppError(
      'USAGE_INVALID',
      `--workers must be a whole number from 1 to ${MAX_WORKERS}, got "${value}"`,
    );
  }
  return workers;
}

async function gc(flags: GcFlags, io: CliIo): Promise<void> {
  const { collectRegistryGarbage, formatDuration, parseDuration } = await registry();
  const graceMs = parseDuration(flags.grace, '--grace');
  const config = await loadConfig(flags.config, io);
  const report = await collectRegistryGarbage({
    dataDir: resolveDataDir(flags.data, io.env),
    graceMs,
    dryRun: flags.dryRun,
    deleteUntagged: flags.deleteUntagged,
    config,
    signal: io.signal,
  });
  if (flags.json) print(io.stdout, JSON.stringify(report, null, 2));
  else renderGcReport(report, graceMs, io, formatDuration);
}

function renderGcReport(
  report: GcReport,
  graceMs: number,
  io: CliIo,
  formatDuration: (ms: number) => string,
): void {
  const verb = report.dryRun ? 'would remove' : 'removed';
  for (const item of report.removed) {
    const where = item.repository ? ` from ${item.repository}` : '';
    const size = item.kind === 'manifest' ? '' : ` (${formatBytes(item.bytes)})`;
    print(io.stdout, `${verb} ${item.kind} ${item.id}${where}${size}`);
  }
  const count = (kind: string) => report.removed.filter((i) => i.kind === kind).length;
  print(
    io.stdout,
    `${report.dryRun ? 'dry run: ' : ''}${verb} ${count('blob')} blob(s), ${count('manifest')} manifest(s), ${count('upload')} upload session(s): ` +
      `${formatBytes(report.bytes)}; kept ${report.blobsKept} blob(s) (referenced or touched within ${formatDuration(graceMs)})`,
  );
}

async function hashSecret(flags: { robot?: boolean }, io: CliIo): Promise<void> {
  const { generateRobotToken, hashPassword, hashRobotToken } = await registry();
  if (flags.robot) {
    const token = generateRobotToken();
    print(io.stdout, `token: ${token}`);
    print(io.stdout, `tokenHash: '${hashRobotToken(token)}'`);
    print(
      io.stderr,
      'The token is shown only now: give it to the robot; put only tokenHash in the configuration.',
    );
    return;
  }
  const password = (await readAll(io.stdin)).replace(/\r?\n$/, '');
  if (password === '')
    throw new AppError(
      'USAGE_INVALID',
      'no password on standard input: e.g. `printf %s "$PASSWORD" | airlock registry hash-password`',
    );
  print(io.stdout, `passwordHash: '${await hashPassword(password)}'`);
}

async function loadConfig(path: string | undefined, io: CliIo): Promise<RegistryConfig | undefined> {
  if (path === undefined) return undefined;
  const { loadRegistryConfigFile } = await registry();
  return loadRegistryConfigFile(path, { signal: io.signal });
}
