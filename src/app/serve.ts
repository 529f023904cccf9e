import { createApiServer, bootstrapAdminToken } from '../api/index.js';
import type { EventSource } from '../engine/service.js';
import type { Logger } from '../kernel/index.js';
import { createMetrics } from '../kernel/metrics.js';
import type { RegistryEventSink } from '../registry/index.js';
import { PostgresTokenStore } from '../store/index.js';
import { startEngine } from './engine.js';
import { type RegistryConfig, type RunningRegistry, parseListenAddress, startRegistry } from './registry.js';

/** Where the API listens unless told otherwise: loopback, so that a first start exposes nothing. */
export const DEFAULT_API_LISTEN = '127.0.0.1:8080';

export interface ServeOptions {
  dataDir: string;
  env: NodeJS.ProcessEnv;
  logger: Logger;
  /** API address `HOST:PORT`. */
  listen?: string;
  /** Registry address `HOST:PORT`; `false` runs no registry. */
  registryListen?: string | false;
  registryConfig?: RegistryConfig;
  version: string;
  signal: AbortSignal;
  /** Told once everything listens. */
  onReady: (ready: ServeReady) => void;
}

export interface ServeReady {
  api: string;
  docs: string;
  registry?: RunningRegistry;
  workerId: string;
  database: string;
  /** The admin token created on this first start (printed once, stored hashed). */
  bootstrapToken?: string;
}

/**
 * `airlock serve`: the API, the built-in registry and a workflow worker in one process, on
 * one database (embedded unless `DATABASE_URL` is set). Runs until `signal` aborts, then stops
 * taking requests, lets in-flight work reach a checkpoint, and shuts down.
 */
/** Who starts the runs that the built-in registry's events trigger. */
const REGISTRY_ACTOR = { subject: 'system:registry', roles: ['operator' as const] };

export async function serve(options: ServeOptions): Promise<void> {
  const { logger } = options;
  // The registry's pushes and deletions go straight to the engine's event receiver (workflows
  // with registry triggers), once the engine is up; the registry starts first.
  let deliver: RegistryEventSink | undefined;
  const registry =
    options.registryListen === false
      ? undefined
      : await startRegistry({
          dataDir: options.dataDir,
          listen: options.registryListen,
          config: options.registryConfig,
          logger: logger.child({ component: 'registry' }),
          events: (event) => deliver?.(event),
        });
  const engine = await startEngine({
    dataDir: options.dataDir,
    env: options.env,
    logger: logger.child({ component: 'engine' }),
    ...(registry ? { services: { builtinRegistry: { address: registry.address } } } : {}),
  });
  const tokens = new PostgresTokenStore(engine.database.db);
  const audit = engine.audit;
  const api = createApiServer({
    engine: engine.engine,
    tokens,
    audit,
    logger: logger.child({ component: 'api' }),
    metrics: createMetrics(),
    webhookSecrets: webhookSecretsFromEnv(options.env),
    version: options.version,
  });
  // Pushes to the built-in registry reach the engine the way webhooks do: counted, audited.
  deliver = (event) => {
    api
      .acceptEvents('airlock', { events: [event] }, REGISTRY_ACTOR)
      .then((outcome) => {
        if (outcome.runs.length > 0)
          logger.info(
            {
              repository: event.target.repository,
              tag: event.target.tag,
              runs: outcome.runs.map((r) => r.id),
            },
            'registry event started runs',
          );
      })
      .catch((error: unknown) =>
        logger.error(
          { err: (error as Error).message, event: event.id },
          'registry event not delivered to the engine',
        ),
      );
  };
  try {
    const { host, port } = parseListenAddress(options.listen ?? DEFAULT_API_LISTEN);
    const address = await api.listen({ host, port });
    const bootstrapToken = await bootstrapAdminToken(tokens, { audit });
    options.onReady({
      api: address,
      docs: `${address}/api/docs`,
      ...(registry ? { registry } : {}),
      workerId: engine.workerId,
      database: engine.database.location,
      ...(bootstrapToken ? { bootstrapToken } : {}),
    });
    await new Promise<void>((resolve) =>
      options.signal.aborted
        ? resolve()
        : options.signal.addEventListener('abort', () => resolve(), { once: true }),
    );
  } finally {
    await api.close();
    deliver = undefined;
    await engine.stop();
    await registry?.close();
  }
}

/** `AIRLOCK_WEBHOOK_SECRET_DISTRIBUTION`, `…_HARBOR`, `…_AIRLOCK`: shared secrets of the event receivers. */
function webhookSecretsFromEnv(env: NodeJS.ProcessEnv): Partial<Record<EventSource, string>> {
  const out: Partial<Record<EventSource, string>> = {};
  for (const source of ['airlock', 'distribution', 'harbor'] as const) {
    const value = env[`AIRLOCK_WEBHOOK_SECRET_${source.toUpperCase()}`];
    if (value) out[source] = value;
  }
  return out;
}
