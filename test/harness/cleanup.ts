import { rmSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Last-resort cleanup for when a test process ends without calling `stop()` (a crash, a
 * timeout, Ctrl-C): synchronous actions run on `exit` and on the usual termination signals,
 * so no registry keeps running and no temporary directory is left behind.
 */
type CleanupAction = () => void;

const actions = new Set<CleanupAction>();
const SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
let installed = false;

/** Registers a synchronous action for process exit; returns a function that unregisters it. */
export function onProcessExit(action: CleanupAction): () => void {
  install();
  actions.add(action);
  return () => actions.delete(action);
}

function runAll(): void {
  for (const action of [...actions]) {
    actions.delete(action);
    try {
      action();
    } catch {
      // Best effort: one failed cleanup must not keep the others from running.
    }
  }
}

function install(): void {
  if (installed) return;
  installed = true;
  process.once('exit', runAll);
  for (const signal of SIGNALS) {
    const handler = (): void => {
      runAll();
      process.removeListener(signal, handler);
      // Re-raise so that the default behaviour (terminating) happens unless someone else handles it.
      if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
    };
    process.on(signal, handler);
  }
}

/** A temporary directory that is removed by `remove()` or, failing that, at process exit. */
export interface TempDir {
  path: string;
  remove(): Promise<void>;
}

export async function makeTempDir(prefix: string): Promise<TempDir> {
  const path = await mkdtemp(join(tmpdir(), `airlock-${prefix}-`));
  const unregister = onProcessExit(() => rmSync(path, { recursive: true, force: true }));
  return {
    path,
    async remove() {
      unregister();
      await rm(path, { recursive: true, force: true });
    },
  };
}
