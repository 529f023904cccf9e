import { type ChildProcess, spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { onProcessExit } from './cleanup.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

export interface WorkerProcess {
  id: string;
  child: ChildProcess;
  output(): string;
  /** SIGKILL: the process dies mid-whatever, as a crashed machine would. */
  kill(): Promise<void>;
  /** SIGTERM and wait for a clean exit. */
  stop(): Promise<void>;
}

export interface StartWorkerOptions {
  id: string;
  databaseUrl: string;
  dataDir: string;
  env?: Record<string, string>;
  /** Default 60 s: a cold start compiles the sources. */
  timeoutMs?: number;
}

/**
 * Starts `airlock worker` as a child process (from the sources) on a test database, and
 * resolves once it says it runs. Workers are killed when the test process exits.
 */
export async function startWorker(options: StartWorkerOptions): Promise<WorkerProcess> {
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      join(root, 'src/cli/run.ts'),
      'worker',
      '--id',
      options.id,
      '--data',
      options.dataDir,
      '--log-level',
      'info',
    ],
    {
      cwd: root,
      env: {
        ...process.env,
        DATABASE_URL: options.databaseUrl,
        AIRLOCK_WORKER_HEARTBEAT_MS: '300',
        AIRLOCK_WORKER_DEAD_AFTER_MS: '2000',
        ...options.env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const unregister = onProcessExit(() => child.kill('SIGKILL'));
  let output = '';
  child.stdout!.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (output += c.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`worker ${options.id} did not start:\n${output.slice(-3000)}`)),
      options.timeoutMs ?? 60_000,
    );
    const check = () => {
      if (/Airlock worker \S+ running/.test(output)) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout!.on('data', check);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`worker ${options.id} exited with ${code}:\n${output.slice(-3000)}`));
    });
  });
  return {
    id: options.id,
    child,
    output: () => output,
    kill: async () => {
      child.kill('SIGKILL');
      await exited;
      unregister();
    },
    stop: async () => {
      child.kill('SIGTERM');
      await exited;
      unregister();
    },
  };
}
