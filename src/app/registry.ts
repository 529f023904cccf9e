import { mkdir, readFile } from 'node:fs/promises';
import { createServer, type RequestListener, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { AppError, type Clock, createLogger, type Logger, systemClock } from '../kernel/index.js';
import {
  AccessPolicy,
  allowAllGate,
  Authenticator,
  BlobService,
  BlobStore,
  collectGarbage,
  ContentCache,
  createRequestListener,
  defaultRegistryConfig,
  type GcReport,
  loadOrCreateSigningKey,
  ManifestService,
  MetadataStore,
  type PullGate,
  ReferrerStore,
  type RegistryConfig,
  type RegistryEventSink,
  httpNotifier,
  type RegistryServices,
  RequestAuthorizer,
  StoragePaths,
  TokenService,
  UploadStore,
} from '../registry/index.js';

/** What the `airlock registry` commands use besides the functions below (the CLI imports only app/). */
export {
  formatDuration,
  generateRobotToken,
  hashPassword,
  hashRobotToken,
  loadRegistryConfigFile,
  parseDuration,
  type GcReport,
  type RegistryConfig,
} from '../registry/index.js';

/** Where the registry listens unless told otherwise: loopback, the port registries traditionally use. */
export const DEFAULT_REGISTRY_LISTEN = '127.0.0.1:5000';

export interface StartRegistryOptions {
  /** Airlock's data directory; the registry keeps its storage in `<dataDir>/registry`. */
  dataDir: string;
  /** `HOST:PORT` (port 0 picks a free one); else the configuration's `listen`, else {@link DEFAULT_REGISTRY_LISTEN}. */
  listen?: string;
  config?: RegistryConfig;
  gate?: PullGate;
  /** Told of every manifest push and deletion (besides the configured notification endpoints). */
  events?: RegistryEventSink;
  /** For the notification endpoints' secrets; default the process environment. */
  env?: NodeJS.ProcessEnv;
  logger?: Logger;
  clock?: Clock;
  signal?: AbortSignal;
}

export interface RunningRegistry {
  /** `http://host:port`, for clients. */
  url: string;
  /** `host:port`, as image references spell it. */
  address: string;
  host: string;
  port: number;
  /** The storage directory. */
  root: string;
  auth: 'open' | 'token';
  close(): Promise<void>;
}

export function registryRoot(dataDir: string): string {
  return join(dataDir, 'registry');
}

/** Builds and starts the registry; resolves once it listens. */
export async function startRegistry(options: StartRegistryOptions): Promise<RunningRegistry> {
  const config = options.config ?? defaultRegistryConfig();
  const { host, port } = parseListenAddress(options.listen ?? config.listen ?? DEFAULT_REGISTRY_LISTEN);
  if (!config.auth && !isLoopback(host)) {
    throw new AppError(
      'CONFIG_INVALID',
      `refusing to listen on ${host} without auth: anonymous push and pull are only allowed on loopback; add an auth section (users, robots, namespaces) to the registry configuration or listen on 127.0.0.1`,
    );
  }
  const root = registryRoot(options.dataDir);
  const logger = options.logger ?? createLogger({ base: { component: 'registry' } });
  const notifier =
    config.notifications.endpoints.length > 0
      ? httpNotifier(config.notifications.endpoints, { env: options.env ?? process.env, logger })
      : undefined;
  const sinks = [options.events, notifier?.sink].filter((sink) => sink !== undefined);
  const services = await createRegistryServices(root, config, {
    ...options,
    logger,
    ...(sinks.length > 0 ? { events: (event) => sinks.forEach((sink) => sink(event)) } : {}),
  });
  const server = await createHttpServer(config, createRequestListener(services));
  tuneServer(server);
  await listen(server, host, port, options.signal);
  const bound = server.address() as AddressInfo;
  const shownHost = bound.family === 'IPv6' ? `[${bound.address}]` : bound.address;
  return {
    url: `${config.tls ? 'https' : 'http'}://${shownHost}:${bound.port}`,
    address: `${shownHost}:${bound.port}`,
    host: bound.address,
    port: bound.port,
    root,
    auth: config.auth ? 'token' : 'open',
    close: async () => {
      await closeServer(server);
      await notifier?.close();
    },
  };
}

/** Wires storage, services, auth and gate over one storage directory. */
export async function createRegistryServices(
  root: string,
  config: RegistryConfig,
  options: Pick<StartRegistryOptions, 'gate' | 'events' | 'logger' | 'clock' | 'signal'> = {},
): Promise<RegistryServices> {
  const clock = options.clock ?? systemClock;
  const logger = options.logger ?? createLogger({ base: { component: 'registry' } });
  const paths = new StoragePaths(root);
  await Promise.all(
    [paths.blobsDir, paths.repositoriesDir, paths.uploadsDir, paths.tmpDir].map((dir) =>
      mkdir(dir, { recursive: true }),
    ),
  );
  const durability = { fsync: config.storage.fsync };
  const blobStore = new BlobStore({ paths, durability, clock });
  const metadata = new MetadataStore({ paths, durability, clock });
  const referrers = new ReferrerStore({ paths, durability });
  const uploads = new UploadStore({
    paths,
    blobs: blobStore,
    durability,
    clock,
    expiryMs: config.limits.uploadExpiry,
    maxBlobBytes: config.limits.blobMaxBytes,
  });
  const manifests = new ManifestService({
    blobs: blobStore,
    metadata,
    referrers,
    cache: new ContentCache(config.limits.manifestCacheBytes),
  });
  const policy = new AccessPolicy(config);
  let tokens: TokenService | undefined;
  if (config.auth) {
    const key = await loadOrCreateSigningKey(join(root, 'auth'), { signal: options.signal });
    tokens = new TokenService({
      auth: config.auth,
      policy,
      authenticator: new Authenticator(config.auth, clock),
      key,
      clock,
    });
  }
  return {
    manifests,
    blobs: new BlobService(blobStore, metadata),
    uploads,
    metadata,
    policy,
    authorizer: new RequestAuthorizer({ policy, tokens }),
    tokens,
    gate: options.gate ?? allowAllGate,
    limits: config.limits,
    logger,
    clock,
    publicUrl: config.publicUrl,
    ...(options.events ? { events: options.events } : {}),
  };
}

export interface CollectRegistryGarbageOptions {
  dataDir: string;
  graceMs: number;
  dryRun?: boolean;
  deleteUntagged?: boolean;
  config?: RegistryConfig;
  clock?: Clock;
  signal?: AbortSignal;
}

/** Runs garbage collection over a registry's storage (safe while registries serve it). */
export async function collectRegistryGarbage(options: CollectRegistryGarbageOptions): Promise<GcReport> {
  const config = options.config ?? defaultRegistryConfig();
  const clock = options.clock ?? systemClock;
  const paths = new StoragePaths(registryRoot(options.dataDir));
  const durability = { fsync: config.storage.fsync };
  return collectGarbage({
    paths,
    blobs: new BlobStore({ paths, durability, clock }),
    metadata: new MetadataStore({ paths, durability, clock }),
    referrers: new ReferrerStore({ paths, durability }),
    clock,
    graceMs: options.graceMs,
    uploadExpiryMs: config.limits.uploadExpiry,
    dryRun: options.dryRun,
    deleteUntagged: options.deleteUntagged,
    signal: options.signal,
  });
}

/** `HOST:PORT`, `[v6]:PORT` or `:PORT` (all interfaces). */
export function parseListenAddress(text: string): { host: string; port: number } {
  const match = /^(?:\[([0-9a-fA-F:.]+)\]|([^:[\]]*)):(\d{1,5})$/.exec(text.trim());
  const port = match ? Number(match[3]) : NaN;
  if (!match || port > 65535) {
    throw new AppError(
      'USAGE_INVALID',
      `invalid listen address "${text}": expected HOST:PORT, e.g. 127.0.0.1:5000, [::1]:5000 or 0.0.0.0:5000`,
    );
  }
  const host = match[1] ?? (match[2] === '' ? '0.0.0.0' : match[2]!);
  return { host, port };
}

export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

async function createHttpServer(config: RegistryConfig, listener: RequestListener): Promise<Server> {
  if (!config.tls) return createServer({ keepAlive: true }, listener);
  const { certFile, keyFile } = config.tls;
  let cert: Buffer;
  let key: Buffer;
  try {
    [cert, key] = await Promise.all([readFile(certFile), readFile(keyFile)]);
  } catch (error) {
    throw new AppError(
      'CONFIG_INVALID',
      `cannot read the TLS certificate or key (tls.certFile ${certFile}, tls.keyFile ${keyFile}): ${(error as Error).message}`,
      { cause: error },
    );
  }
  return createHttpsServer({ cert, key, keepAlive: true }, listener);
}

function tuneServer(server: Server): void {
  // Clients keep connections across a pull; outlive typical client idle timeouts.
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 70_000;
  // Blob uploads of many gigabytes take longer than Node's default 5-minute request timeout.
  server.requestTimeout = 0;
  server.on('clientError', (_error, socket) => {
    if (socket.writable)
      socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
    else socket.destroy();
  });
}

function listen(server: Server, host: string, port: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (error: Error) =>
      reject(
        new AppError('CONFIG_INVALID', `cannot listen on ${host}:${port}: ${error.message}`, {
          cause: error,
        }),
      );
    server.once('error', onError);
    server.listen({ host, port, signal }, () => {
      server.off('error', onError);
      resolve();
    });
  });
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeIdleConnections();
    // In-flight requests get a moment to finish; then connections are cut.
    setTimeout(() => server.closeAllConnections(), 2_000).unref();
  });
}
