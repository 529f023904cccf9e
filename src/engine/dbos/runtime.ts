import { DBOS, type DLogger } from '@dbos-inc/dbos-sdk';
import type { Logger } from '../../kernel/index.js';
import { type ChildCall, type RunEnvironment, executeRun, runChild } from '../runtime/index.js';
import { type QueueLimits, ensureQueue } from './queues.js';
import { DbosDurableContext } from './durable-context.js';

/** The queue runs are started on, so that any worker may execute them. */
export const RUN_QUEUE = 'airlock-runs';

let environment: RunEnvironment | undefined;
let onSchedule: ((date: Date, context: unknown) => Promise<void>) | undefined;
let queueLimits: (name: string) => QueueLimits = () => ({});

async function ensureNamedQueue(name: string): Promise<void> {
  await ensureQueue(name, queueLimits(name));
}

function env(): RunEnvironment {
  if (!environment) throw new Error('the engine runtime is not configured in this process');
  return environment;
}

async function childWorkflow(call: ChildCall): Promise<unknown> {
  return runChild(new DbosDurableContext(childWorkflowFn, ensureNamedQueue), env(), call);
}

async function runWorkflow(runId: string): Promise<unknown> {
  return executeRun(new DbosDurableContext(childWorkflowFn, ensureNamedQueue), env(), runId);
}

// DBOS finds workflows by registered name after a restart: these names are part of the
// stored state and never change.
const childWorkflowFn = DBOS.registerWorkflow(childWorkflow, { name: 'airlock.child' });
export const runWorkflowFn = DBOS.registerWorkflow(runWorkflow, { name: 'airlock.run' });
/** Fired by DBOS's scheduler once per tick across all workers; starts the scheduled run. */
export const scheduledFn = DBOS.registerWorkflow(
  async (date: Date, context: unknown) => {
    await DBOS.runStep(() => (onSchedule ? onSchedule(date, context) : Promise.resolve()), {
      name: 'start-run',
    });
  },
  { name: 'airlock.scheduled' },
);

export interface DbosRuntimeOptions {
  /** Postgres for DBOS's own state (its own database or schema). */
  systemDatabaseUrl: string;
  /** Stable identity of this process: a restart with the same id resumes its runs. */
  executorId: string;
  /** Workers recover only runs written by the same application version. */
  applicationVersion: string;
  logger: Logger;
  environment: RunEnvironment;
  /** Runs this process executes at once (DBOS worker concurrency of the run queue). */
  runConcurrency: number;
  /** How often idle workers look for queued runs; lower is snappier and costs more queries. */
  queuePollingMs: number;
  /** Starts the run of a schedule's firing. */
  onSchedule: (date: Date, context: unknown) => Promise<void>;
  /** Limits of the queues steps run on (`registry:docker.io`), created when first used. */
  queues: (name: string) => QueueLimits;
  /** False for a process that starts and observes runs but executes none (an API-only server). */
  executeRuns: boolean;
}

/** Configures and launches DBOS in this process (once). */
export async function launchDbos(options: DbosRuntimeOptions): Promise<void> {
  environment = options.environment;
  onSchedule = options.onSchedule;
  queueLimits = options.queues;
  DBOS.setConfig({
    name: 'airlock',
    systemDatabaseUrl: options.systemDatabaseUrl,
    executorID: options.executorId,
    applicationVersion: options.applicationVersion,
    logger: dbosLogger(options.logger),
    systemDatabaseSchemaName: 'dbos',
    // DBOS wakes to flush coalesced notifications this often (default 10 ms: 100 wake-ups a
    // second, a visible share of an idle core); 50 ms adds at most that to an approval's delivery.
    notificationCoalesceMs: 50,
    ...(options.executeRuns ? {} : { listenQueues: ['airlock-none'] }),
  });
  await DBOS.launch();
  await DBOS.registerQueue(RUN_QUEUE, {
    workerConcurrency: options.runConcurrency,
    minPollingIntervalMs: options.queuePollingMs,
    onConflict: 'always_update',
  });
}

export async function shutdownDbos(): Promise<void> {
  await DBOS.shutdown();
  environment = undefined;
}

/** DBOS's internal logs through Airlock's logger, at debug level unless they are problems. */
function dbosLogger(logger: Logger): DLogger {
  const child = logger.child({ component: 'dbos' });
  const text = (entry: unknown) =>
    typeof entry === 'string' ? entry : entry instanceof Error ? entry.message : JSON.stringify(entry);
  return {
    info: (entry) => child.debug(text(entry)),
    debug: (entry) => child.trace(text(entry)),
    warn: (entry) => child.warn(text(entry)),
    error: (entry) => child.error(text(entry)),
  };
}
