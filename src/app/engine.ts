import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { builtinActions } from '../actions/index.js';
import { ServiceKey } from '../actions/services.js';
import { runStartEntry } from '../api/audit.js';
import { type ActionDefinition, ActionRegistry } from '../engine/actions/contract.js';
import { CancellationHub } from '../engine/cancellation.js';
import { launchDbos, shutdownDbos } from '../engine/dbos/runtime.js';
import type { QueueLimits } from '../engine/dbos/queues.js';
import { WorkflowEngine } from '../engine/engine.js';
import { StepLogSink } from '../engine/logs/step-logger.js';
import { StoreRecorder } from '../engine/recorder.js';
import type { RunEnvironment } from '../engine/runtime/index.js';
import { Supervisor } from '../engine/supervisor.js';
import { AppError, type Logger } from '../kernel/index.js';
import {
  PostgresApprovalStore,
  PostgresAuditLog,
  PostgresEventStore,
  PostgresLogStore,
  PostgresRunStore,
  PostgresWorkerStore,
  PostgresWorkflowStore,
} from '../store/index.js';
import { type AirlockDatabase, openAirlockDatabase } from './database.js';
import { BlobLocationCache } from './blob-location-cache.js';
import { createRegistrySession } from './registry-access.js';

/** Airlock's version as the engine records it: workers only resume runs of the same version. */
export const ENGINE_APPLICATION_VERSION = 'airlock-0.1.0';

export interface StartEngineOptions {
  dataDir: string;
  env: NodeJS.ProcessEnv;
  logger: Logger;
  /** This worker's identity; default: one kept in the data directory (stable across restarts). */
  workerId?: string;
  /** Runs executed at once by this process. Default 16. */
  runConcurrency?: number;
  /** How often an idle worker looks for queued runs. Default 100 ms. */
  queuePollingMs?: number;
  /** Limits of step queues, by name (`registry:docker.io`). */
  queues?: Record<string, QueueLimits>;
  /** Registries reachable over plain HTTP (besides loopback). */
  insecureRegistries?: string[];
  /** False: start and observe runs, execute none (default true). */
  executeRuns?: boolean;
  /** More services for actions (e.g. `builtinRegistry: { address }` when the registry runs here). */
  services?: Record<string, unknown>;
  /** Actions besides the built-in ones. */
  extraActions?: ActionDefinition<never, unknown>[];
  /** Heartbeat period and the silence after which a worker's runs are taken over. */
  supervision?: { heartbeatMs?: number; deadAfterMs?: number };
}

export interface RunningEngine {
  engine: WorkflowEngine;
  database: AirlockDatabase;
  /** The hash-chained audit log (in the same database). */
  audit: PostgresAuditLog;
  workerId: string;
  stop(): Promise<void>;
}

/** Upstream registries get a default bound on concurrent steps; rate limits are configured. */
const DEFAULT_REGISTRY_QUEUE: QueueLimits = { concurrency: 8 };
/** How often a running engine writes what it learned about blob locations (and at stop). */
const BLOB_LOCATION_SAVE_MS = 5 * 60_000;

/**
 * Starts the workflow engine in this process: the database (migrated), the engine's stores,
 * the built-in actions with their services, DBOS (durable execution, queues, schedules) and
 * the supervisor (heartbeats, takeover of dead workers' runs). Every process that does this is
 * a worker; `serve` adds the API and the registry.
 */
export async function startEngine(options: StartEngineOptions): Promise<RunningEngine> {
  const { logger } = options;
  // Configuration first: a mistake in it must stop nothing half-started.
  const supervision = { ...supervisionFromEnv(options.env), ...options.supervision };
  const queues = { ...queuesFromEnv(options.env), ...options.queues };
  // Every run in flight writes its step states: the pool follows the run concurrency.
  const database = await openAirlockDatabase({
    dataDir: options.dataDir,
    env: options.env,
    logger,
    maxConnections: Math.max(10, Math.ceil((options.runConcurrency ?? 16) / 2)),
  });
  // What has started, stopped in reverse if a later part fails to start.
  const started: (() => Promise<unknown>)[] = [() => database.close()];
  try {
    const stores = {
      workflows: new PostgresWorkflowStore(database.db),
      runs: new PostgresRunStore(database.db),
      logs: new PostgresLogStore(database.db),
      approvals: new PostgresApprovalStore(database.db),
      events: new PostgresEventStore(database.db),
    };
    const actions = new ActionRegistry();
    for (const action of builtinActions()) actions.register(action);
    for (const action of options.extraActions ?? []) actions.register(action);
    const registries = createRegistrySession({
      env: options.env,
      insecure: options.insecureRegistries,
      logger,
    });
    started.push(() => registries.close());
    const cancellation = new CancellationHub(database.connectionString, logger);
    await cancellation.start();
    started.push(() => cancellation.stop());
    const audit = new PostgresAuditLog(database.db);
    // Runs the engine starts by itself (schedules, workflow.completed) are audited here; the
    // API audits those it starts.
    const engine = new WorkflowEngine({
      stores,
      actions,
      cancellation,
      logger,
      onSystemStart: async (run, actor) => {
        await audit.append(runStartEntry(run, actor.subject));
      },
    });
    // Where copies left blobs, kept in the data directory: mirroring workflows mount shared
    // layers into new repositories instead of uploading them again (a hint; saved every few minutes).
    const blobLocations = BlobLocationCache.open(join(options.dataDir, 'blob-locations.json'));
    const saveBlobLocations = () =>
      blobLocations
        .save()
        .catch((error: unknown) =>
          logger.warn({ err: (error as Error).message }, 'could not save the blob location cache'),
        );
    const blobLocationTimer = setInterval(() => void saveBlobLocations(), BLOB_LOCATION_SAVE_MS);
    blobLocationTimer.unref();
    const stopBlobLocations = async () => {
      clearInterval(blobLocationTimer);
      await saveBlobLocations();
    };
    started.push(stopBlobLocations);
    const secrets = secretsFromEnv(options.env);
    const environment: RunEnvironment = {
      loadPlan: (runId) => engine.loadPlan(runId),
      recorder: new StoreRecorder(stores.runs, stores.approvals, (runId, status) =>
        engine.onRunFinished(runId, status),
      ),
      logs: new StepLogSink(stores.logs, logger),
      actions,
      services: { ...options.services, registries, [ServiceKey.blobLocations]: blobLocations },
      secrets: () => secrets,
      processEnv: () => ({}),
      cancellation: (runId) => cancellation.signal(runId),
      logger,
      queueFor: (step, input) => actions.get(step.uses)?.queue?.(input),
    };
    const workerId = options.workerId ?? (await stableWorkerId(options.dataDir));
    await launchDbos({
      systemDatabaseUrl: database.connectionString,
      executorId: workerId,
      applicationVersion: ENGINE_APPLICATION_VERSION,
      logger,
      environment,
      runConcurrency: options.runConcurrency ?? 16,
      queuePollingMs: options.queuePollingMs ?? 100,
      onSchedule: (date, context) => engine.onSchedule(date, context),
      queues: (name) => queues[name] ?? (name.startsWith('registry:') ? DEFAULT_REGISTRY_QUEUE : {}),
      executeRuns: options.executeRuns ?? true,
    });
    started.push(() => shutdownDbos());
    await engine.syncSchedules();
    const supervisor = new Supervisor({
      executorId: workerId,
      workers: new PostgresWorkerStore(database.db),
      runs: stores.runs,
      redispatch: (id) => engine.redispatch(id),
      logger,
      ...supervision,
    });
    await supervisor.start();
    logger.info({ worker: workerId, database: database.location }, 'workflow engine started');
    return {
      engine,
      database,
      audit,
      workerId,
      stop: async () => {
        await supervisor.stop();
        await shutdownDbos();
        await cancellation.stop();
        await stopBlobLocations();
        await registries.close();
        await database.close();
      },
    };
  } catch (error) {
    for (const stop of started.reverse()) await stop().catch(() => undefined);
    throw error;
  }
}

/**
 * Secrets for workflows from `AIRLOCK_SECRET_<NAME>` variables: `secrets.<name>` in expressions
 * (lower-cased name), never logged (step logs replace their values with `***`).
 */
export function secretsFromEnv(env: NodeJS.ProcessEnv): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(env)) {
    if (key.startsWith('AIRLOCK_SECRET_') && value !== undefined)
      out[key.slice('AIRLOCK_SECRET_'.length).toLowerCase()] = value;
  }
  return out;
}

/** A worker id kept in the data directory, so that a restarted process resumes its own runs at once. */
async function stableWorkerId(dataDir: string): Promise<string> {
  const path = join(dataDir, 'engine-worker-id');
  try {
    return (await readFile(path, 'utf8')).trim();
  } catch {
    const id = `${hostname()}-${randomBytes(4).toString('hex')}`;
    await mkdir(dataDir, { recursive: true });
    await writeFile(path, `${id}\n`);
    return id;
  }
}

/**
 * `AIRLOCK_WORKER_HEARTBEAT_MS` and `AIRLOCK_WORKER_DEAD_AFTER_MS`: how often workers say they
 * are alive, and after how long a silent worker's runs are taken over (defaults 5 s and 30 s).
 */
function supervisionFromEnv(env: NodeJS.ProcessEnv): { heartbeatMs?: number; deadAfterMs?: number } {
  const read = (name: string) => {
    const value = Number(env[name]);
    return Number.isInteger(value) && value > 0 ? value : undefined;
  };
  const heartbeatMs = read('AIRLOCK_WORKER_HEARTBEAT_MS');
  const deadAfterMs = read('AIRLOCK_WORKER_DEAD_AFTER_MS');
  return { ...(heartbeatMs ? { heartbeatMs } : {}), ...(deadAfterMs ? { deadAfterMs } : {}) };
}

/**
 * `AIRLOCK_QUEUES`: limits of step queues as JSON, e.g.
 * `{"registry:docker.io": {"concurrency": 4, "rateLimit": {"limit": 100, "periodSeconds": 21600}}}`
 * (Docker Hub's anonymous quota). They hold across every worker.
 */
export function queuesFromEnv(env: NodeJS.ProcessEnv): Record<string, QueueLimits> {
  const text = env.AIRLOCK_QUEUES;
  if (!text) return {};
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new AppError('CONFIG_INVALID', `AIRLOCK_QUEUES is not JSON: ${(error as Error).message}`);
  }
  const parsed = QUEUES_SCHEMA.safeParse(value);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  throw new AppError(
    'CONFIG_INVALID',
    `AIRLOCK_QUEUES${issue.path.map((p) => `[${JSON.stringify(p)}]`).join('')}: ${issue.message}; ` +
      'expected e.g. {"registry:docker.io": {"concurrency": 4, "rateLimit": {"limit": 100, "periodSeconds": 21600}}}',
  );
}

const QUEUES_SCHEMA = z.record(
  z.string().min(1),
  z
    .object({
      concurrency: z.number().int().positive().optional(),
      rateLimit: z
        .object({ limit: z.number().int().positive(), periodSeconds: z.number().positive() })
        .strict()
        .optional(),
    })
    .strict(),
);
