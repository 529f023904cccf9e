import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { stringify } from 'yaml';
import { createRegistryServices, registryRoot, startRegistry } from '../../src/app/registry.js';
import { AppError, type Clock, createLogger, silentLogger } from '../../src/kernel/index.js';
import {
  type PullGate,
  RegistryConfig,
  type RegistryConfigInput,
  type RegistryServices,
} from '../../src/registry/index.js';
import { makeTempDir, onProcessExit } from './cleanup.js';
import { readLogTail, startFailure } from './process.js';
import { hasTool } from './tools.js';

export interface AirlockRegistry {
  /** `http://127.0.0.1:<port>` */
  url: string;
  /** `127.0.0.1:<port>`, for image references. */
  address: string;
  /** Airlock data directory; the registry's storage is `<dataDir>/registry`. */
  dataDir: string;
  root: string;
  stop(): Promise<void>;
}

export interface StartAirlockRegistryOptions {
  /** Reuse a data directory (e.g. to restart on the same storage); a temporary one otherwise. */
  dataDir?: string;
  config?: RegistryConfigInput;
  gate?: PullGate;
  clock?: Clock;
  /** Log at debug level to stderr (AIRLOCK_TEST_LOG=debug does the same). */
  verbose?: boolean;
}

/** Airlock's registry in this process, on a random loopback port. */
export async function startAirlockRegistry(
  options: StartAirlockRegistryOptions = {},
): Promise<AirlockRegistry> {
  const temp = options.dataDir ? undefined : await makeTempDir('registry');
  const dataDir = options.dataDir ?? temp!.path;
  const running = await startRegistry({
    dataDir,
    listen: '127.0.0.1:0',
    config: RegistryConfig.parse(options.config ?? {}),
    gate: options.gate,
    clock: options.clock,
    logger: testLogger(options.verbose),
  });
  return {
    url: running.url,
    address: running.address,
    dataDir,
    root: running.root,
    async stop() {
      await running.close();
      await temp?.remove();
    },
  };
}

/** The registry's services over a storage directory, without a server (for storage-level tests). */
export async function openAirlockRegistryStorage(
  dataDir: string,
  config: RegistryConfigInput = {},
  clock?: Clock,
): Promise<RegistryServices> {
  return createRegistryServices(registryRoot(dataDir), RegistryConfig.parse(config), {
    clock,
    logger: silentLogger,
  });
}

export interface AirlockRegistryProcess extends AirlockRegistry {
  pid: number;
  /** Sends a signal (SIGKILL to simulate a crash) and resolves when the process is gone. */
  kill(signal: NodeJS.Signals): Promise<void>;
  /** The log's last lines (stderr), for assertion messages. */
  logTail(): Promise<string>;
}

export interface StartAirlockRegistryProcessOptions {
  dataDir?: string;
  config?: RegistryConfigInput;
  /** Extra environment (e.g. AIRLOCK_LOG_LEVEL). */
  env?: NodeJS.ProcessEnv;
  /** Worker processes (`--workers`); the registry runs in the child itself when absent. */
  workers?: number;
  /** Time allowed to come up; the CLI starts through tsx, which compiles on first use. */
  startTimeoutMs?: number;
}

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const LISTENING = /listening on (http:\/\/\S+)/;

/**
 * `airlock registry` as a child process (through the CLI, from the sources), for tests that
 * kill it: crash safety, several processes sharing one storage. It dies with the test process.
 */
export async function startAirlockRegistryProcess(
  options: StartAirlockRegistryProcessOptions = {},
): Promise<AirlockRegistryProcess> {
  const temp = options.dataDir ? undefined : await makeTempDir('registry-process');
  const dataDir = options.dataDir ?? temp!.path;
  await mkdir(dataDir, { recursive: true });
  const args = [
    '--import',
    'tsx',
    join(ROOT, 'src', 'cli', 'run.ts'),
    'registry',
    '--listen',
    '127.0.0.1:0',
    '--data',
    dataDir,
  ];
  if (options.workers !== undefined) args.push('--workers', String(options.workers));
  if (options.config) {
    const file = join(dataDir, `registry-config-${Date.now()}.yaml`);
    await writeFile(file, stringify(options.config));
    args.push('--config', file);
  }
  const logFile = join(dataDir, `registry-${Date.now()}-${Math.random().toString(36).slice(2)}.log`);
  const child = spawnChild(args, logFile, { ...process.env, ...options.env });
  const unregister = onProcessExit(() => child.kill('SIGKILL'));
  const exited = new Promise<void>((resolve) => child.once('close', () => resolve()));
  let url: string;
  try {
    url = await waitForListening(child, options.startTimeoutMs ?? 30_000);
  } catch (error) {
    child.kill('SIGKILL');
    await exited;
    throw startFailure('airlock registry', (error as Error).message, await readLogTail(logFile));
  }
  const kill = async (signal: NodeJS.Signals) => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    await exited;
    unregister();
  };
  return {
    url,
    address: url.replace(/^http:\/\//, ''),
    dataDir,
    root: registryRoot(dataDir),
    pid: child.pid!,
    kill,
    logTail: () => readLogTail(logFile),
    async stop() {
      await kill('SIGTERM');
      await temp?.remove();
    },
  };
}

function spawnChild(args: string[], logFile: string, env: NodeJS.ProcessEnv): ChildProcess {
  const log = openSync(logFile, 'a');
  try {
    const useSetpriv = process.platform === 'linux' && hasTool('setpriv');
    const command = useSetpriv ? 'setpriv' : process.execPath;
    const fullArgs = useSetpriv ? ['--pdeathsig', 'KILL', '--', process.execPath, ...args] : args;
    const child = spawn(command, fullArgs, { cwd: ROOT, env, stdio: ['ignore', 'pipe', log] });
    child.on('error', () => undefined);
    return child;
  } finally {
    closeSync(log);
  }
}

function waitForListening(child: ChildProcess, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    let seen = '';
    const timer = setTimeout(
      () => reject(new AppError('INTERNAL', `no "listening on" line within ${timeoutMs} ms`)),
      timeoutMs,
    );
    child.stdout!.on('data', (chunk: Buffer) => {
      seen += chunk.toString('utf8');
      const match = LISTENING.exec(seen);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    });
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      reject(new AppError('INTERNAL', `exited early (code ${code}, signal ${signal})`));
    });
  });
}

function testLogger(verbose: boolean | undefined) {
  const level = verbose ? 'debug' : process.env.AIRLOCK_TEST_LOG;
  return level ? createLogger({ level, destination: process.stderr }) : silentLogger;
}
