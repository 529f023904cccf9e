import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { AppError } from '../../src/kernel/index.js';
import { onProcessExit } from './cleanup.js';
import { hasTool } from './tools.js';

export interface ProcessExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface SpawnManagedOptions {
  command: string;
  args: string[];
  /** stdout and stderr are appended here, for the error message when a start fails. */
  logFile: string;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
}

/** Grace period between SIGTERM and SIGKILL when stopping a server. */
const STOP_GRACE_MS = 5_000;

/**
 * A long-running child (a registry) that dies with the test process. On Linux it is started
 * through `setpriv --pdeathsig KILL`, so the kernel kills it even when the test process is
 * killed with SIGKILL and no exit handler runs; otherwise an exit handler kills it.
 */
export class ManagedProcess {
  readonly exited: Promise<ProcessExit>;
  private exitStatus: ProcessExit | undefined;
  private readonly unregister: () => void;

  private constructor(
    private readonly child: ChildProcess,
    readonly description: string,
  ) {
    this.exited = new Promise((resolve) => {
      // 'close' rather than 'exit': a child that failed to spawn (ENOENT) emits only 'error' and 'close'.
      child.once('close', (code, signal) => {
        this.exitStatus = { code, signal };
        this.unregister();
        resolve(this.exitStatus);
      });
    });
    this.unregister = onProcessExit(() => {
      if (this.running) child.kill('SIGKILL');
    });
  }

  static spawn(options: SpawnManagedOptions): ManagedProcess {
    const log = openSync(options.logFile, 'a');
    try {
      const [command, args] = withParentDeathSignal(options.command, options.args);
      const child = spawn(command, args, {
        cwd: options.cwd,
        env: options.env ?? process.env,
        stdio: ['ignore', log, log],
      });
      // A failed spawn is reported through 'close' with a negative code; the 'error' needs a listener.
      child.on('error', () => undefined);
      return new ManagedProcess(child, `${options.command} ${options.args.join(' ')}`);
    } finally {
      closeSync(log);
    }
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  get running(): boolean {
    return this.exitStatus === undefined && this.child.pid !== undefined;
  }

  /** SIGTERM, then SIGKILL after a grace period; resolves once the process has exited. */
  async stop(): Promise<void> {
    if (!this.running) return;
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), STOP_GRACE_MS);
    try {
      await this.exited;
    } finally {
      clearTimeout(timer);
    }
  }
}

function withParentDeathSignal(command: string, args: string[]): [string, string[]] {
  if (process.platform === 'linux' && hasTool('setpriv'))
    return ['setpriv', ['--pdeathsig', 'KILL', '--', command, ...args]];
  return [command, args];
}

/**
 * The last `maxBytes` of a log file written after byte offset `since`, for error messages;
 * empty when the file is missing.
 */
export async function readLogTail(path: string, maxBytes = 4_000, since = 0): Promise<string> {
  let handle;
  try {
    handle = await open(path, 'r');
  } catch {
    return '';
  }
  try {
    const { size } = await handle.stat();
    const length = Math.max(0, Math.min(size - since, maxBytes));
    const buffer = Buffer.alloc(length);
    await handle.read(buffer, 0, length, size - length);
    return buffer.toString('utf8').trim();
  } finally {
    await handle.close();
  }
}

/** An error for a server that did not come up, with the tail of its log. */
export function startFailure(what: string, reason: string, logTail: string): AppError {
  const log = logTail === '' ? '(its log is empty)' : `its log ends with:\n${logTail}`;
  return new AppError('INTERNAL', `${what} did not start: ${reason}; ${log}`);
}
