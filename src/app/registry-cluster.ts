import cluster, { type Worker } from 'node:cluster';
import { AppError, type Logger, silentLogger } from '../kernel/index.js';
import { type RunningRegistry, startRegistry, type StartRegistryOptions } from './registry.js';

/** What the registry tells whoever started it once it listens. */
export type RegistryListening = Pick<RunningRegistry, 'url' | 'address' | 'root' | 'auth'>;

export interface RunRegistryOptions extends StartRegistryOptions {
  /**
   * Processes serving one port and one storage directory (the registry's storage is safe for
   * that); 1 serves in this process. More than 1 re-executes the current entry point (the
   * `airlock` CLI) as cluster workers with the same arguments.
   */
  workers?: number;
  /** Called once, when the registry (its first worker) listens. */
  onListening(listening: RegistryListening): void;
  /** Serving stops when it aborts. */
  signal: AbortSignal;
  logger?: Logger;
}

const LISTENING_MESSAGE = 'airlock-registry-listening';
/** A worker that crashed is replaced after this pause, so that a crash loop cannot spin the CPU. */
const RESTART_DELAY_MS = 1_000;

/** Runs the registry until `signal` aborts, in this process or as a cluster of workers. */
export async function runRegistry(options: RunRegistryOptions): Promise<void> {
  const release = holdSignals();
  try {
    if ((options.workers ?? 1) > 1 && cluster.isPrimary) await runPrimary(options);
    else await runOne(options);
  } finally {
    release();
  }
}

async function runOne(options: RunRegistryOptions): Promise<void> {
  const running = await startRegistry(options);
  const listening: RegistryListening = {
    url: running.url,
    address: running.address,
    root: running.root,
    auth: running.auth,
  };
  if (cluster.isWorker) process.send?.({ type: LISTENING_MESSAGE, listening });
  else options.onListening(listening);
  await aborted(options.signal);
  await running.close();
  // The IPC channel to the primary would keep a worker alive after its server closed.
  cluster.worker?.disconnect();
}

async function runPrimary(options: RunRegistryOptions): Promise<void> {
  const logger = options.logger ?? silentLogger;
  const workers = new Set<Worker>();
  let stopping = false;
  let reported = false;
  const exits: Promise<void>[] = [];
  const started = new Promise<RegistryListening>((resolve, reject) => {
    const fork = () => {
      const worker = cluster.fork();
      workers.add(worker);
      worker.on('message', (message: { type?: string; listening?: RegistryListening }) => {
        if (message.type === LISTENING_MESSAGE && message.listening) resolve(message.listening);
      });
      exits.push(
        new Promise((done) =>
          worker.once('exit', (code, signal) => {
            workers.delete(worker);
            done();
            if (stopping) return;
            if (!reported) {
              reject(
                new AppError(
                  'INTERNAL',
                  `a registry worker exited before listening (code ${code}, signal ${signal}); see its error above`,
                ),
              );
              return;
            }
            logger.error(
              { pid: worker.process.pid, code, signal },
              'registry worker exited; starting a new one',
            );
            setTimeout(() => !stopping && fork(), RESTART_DELAY_MS).unref();
          }),
        ),
      );
    };
    for (let i = 0; i < (options.workers ?? 1); i++) fork();
  });
  try {
    const listening = await Promise.race([started, aborted(options.signal).then(() => undefined)]);
    reported = true;
    if (listening) options.onListening(listening);
    await aborted(options.signal);
  } finally {
    stopping = true;
    for (const worker of workers) worker.kill('SIGTERM');
    await Promise.all(exits);
  }
}

/**
 * Listens to SIGINT and SIGTERM for as long as the registry serves, so that the first one
 * leads to a graceful shutdown (the caller's `signal` aborts) instead of the runtime's — or a
 * loader's — default of exiting at once; a second one exits immediately.
 */
function holdSignals(): () => void {
  let seen = 0;
  const onSignal = () => {
    seen++;
    if (seen > 1) process.exit(130);
  };
  for (const name of SIGNALS) process.on(name, onSignal);
  return () => {
    for (const name of SIGNALS) process.off(name, onSignal);
  };
}

const SIGNALS = ['SIGINT', 'SIGTERM'] as const;

function aborted(signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) resolve();
    else signal.addEventListener('abort', () => resolve(), { once: true });
  });
}
