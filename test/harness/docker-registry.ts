import { randomBytes } from 'node:crypto';
import { mkdir, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { sleep } from '../../src/kernel/index.js';
import { makeTempDir, type TempDir } from './cleanup.js';
import { makeHtpasswd } from './htpasswd.js';
import { findFreePort, LOOPBACK, waitForHttp } from './network.js';
import { ManagedProcess, readLogTail, startFailure } from './process.js';

/** How the registry authenticates clients (distribution 2.8 configuration.md, "auth"). */
export type DockerRegistryAuth =
  | { mode: 'none' }
  | { mode: 'htpasswd'; users: Record<string, string> }
  | {
      mode: 'token';
      /** The token endpoint clients are sent to (the `realm` of the Bearer challenge). */
      realm: string;
      service: string;
      issuer: string;
      /** PEM bundle of the certificates whose keys may sign tokens. */
      rootCertBundlePath: string;
    };

export interface StartDockerRegistryOptions {
  auth?: DockerRegistryAuth;
  /** Where the registry posts its event notifications (configuration.md, "notifications"). */
  notificationUrl?: string;
  signal?: AbortSignal;
  /** How long one start may take before it counts as failed; defaults to 15 s. */
  startTimeoutMs?: number;
}

export interface DockerRegistry {
  /** `127.0.0.1:PORT`, the registry part of image references. */
  host: string;
  /** `http://127.0.0.1:PORT`. */
  url: string;
  /** Filesystem storage root; survives `restart()`, removed by `stop()`. */
  dataDir: string;
  logFile: string;
  /** Kills the registry and removes its directory. Safe to call twice. */
  stop(): Promise<void>;
  /** Stops and starts the registry on the same port with the same data. */
  restart(options?: { signal?: AbortSignal }): Promise<void>;
}

/** Attempts at finding a port no other process grabbed between our probe and the registry's bind. */
const PORT_ATTEMPTS = 5;
/** A restart reuses its port; this many tries (100 ms apart) cover a slow release of the old socket. */
const RESTART_ATTEMPTS = 20;
const ADDRESS_IN_USE = /address already in use/i;

/**
 * Runs Debian's `docker-registry` (CNCF distribution 2.8) on a loopback port with filesystem
 * storage in a temporary directory, deletes enabled, and the requested auth. Resolves once the
 * registry answers HTTP.
 */
export async function startDockerRegistry(options: StartDockerRegistryOptions = {}): Promise<DockerRegistry> {
  const dir = await makeTempDir('docker-registry');
  try {
    const instance = new RegistryInstance(dir, options);
    await instance.prepare();
    await instance.startOnFreePort();
    return instance.handle();
  } catch (error) {
    await dir.remove();
    throw error;
  }
}

class RegistryInstance {
  private readonly configFile: string;
  private readonly logFile: string;
  private readonly dataDir: string;
  private readonly secret = randomBytes(16).toString('hex');
  private authSection: Record<string, unknown> | undefined;
  private process: ManagedProcess | undefined;
  private port = 0;
  private stopped = false;

  constructor(
    private readonly dir: TempDir,
    private readonly options: StartDockerRegistryOptions,
  ) {
    this.configFile = join(dir.path, 'config.yml');
    this.logFile = join(dir.path, 'registry.log');
    this.dataDir = join(dir.path, 'data');
  }

  async prepare(): Promise<void> {
    await mkdir(this.dataDir);
    this.authSection = await this.renderAuth();
  }

  async startOnFreePort(): Promise<void> {
    for (let attempt = 1; attempt <= PORT_ATTEMPTS; attempt++) {
      if (await this.launch(await findFreePort(), this.options.signal)) return;
    }
    throw startFailure(
      'docker-registry',
      `no free port after ${PORT_ATTEMPTS} attempts`,
      await readLogTail(this.logFile),
    );
  }

  handle(): DockerRegistry {
    const host = `${LOOPBACK}:${this.port}`;
    return {
      host,
      url: `http://${host}`,
      dataDir: this.dataDir,
      logFile: this.logFile,
      stop: () => this.stop(),
      restart: (options = {}) => this.restart(options.signal),
    };
  }

  private async restart(signal: AbortSignal | undefined): Promise<void> {
    await this.process?.stop();
    for (let attempt = 1; attempt <= RESTART_ATTEMPTS; attempt++) {
      if (await this.launch(this.port, signal)) return;
      await sleep(100, signal);
    }
    throw startFailure(
      'docker-registry',
      `port ${this.port} stayed in use after a restart`,
      await readLogTail(this.logFile),
    );
  }

  private async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    await this.process?.stop();
    await this.dir.remove();
  }

  /** One start on `port`: true when serving, false when the port was taken, an error otherwise. */
  private async launch(port: number, signal: AbortSignal | undefined): Promise<boolean> {
    await writeFile(this.configFile, this.renderConfig(port));
    const logStart = await sizeOf(this.logFile);
    const child = ManagedProcess.spawn({
      command: 'docker-registry',
      args: ['serve', this.configFile],
      logFile: this.logFile,
    });
    try {
      const url = `http://${LOOPBACK}:${port}/v2/`;
      await waitForHttp(url, { signal, timeoutMs: this.options.startTimeoutMs, abandonWhen: child.exited });
    } catch (error) {
      await child.stop();
      const log = await readLogTail(this.logFile, 4_000, logStart);
      if (ADDRESS_IN_USE.test(log)) return false;
      throw startFailure(`docker-registry on ${LOOPBACK}:${port}`, (error as Error).message, log);
    }
    this.process = child;
    this.port = port;
    return true;
  }

  private renderConfig(port: number): string {
    const config: Record<string, unknown> = {
      version: 0.1,
      log: { level: 'warn', formatter: 'text', accesslog: { disabled: true } },
      storage: {
        filesystem: { rootdirectory: this.dataDir },
        delete: { enabled: true },
        maintenance: { uploadpurging: { enabled: false } },
      },
      // A fixed secret keeps upload state valid across restart() and silences the startup warning.
      http: { addr: `${LOOPBACK}:${port}`, secret: this.secret },
    };
    if (this.authSection) config.auth = this.authSection;
    if (this.options.notificationUrl) {
      config.notifications = {
        endpoints: [
          { name: 'test', url: this.options.notificationUrl, timeout: '2s', threshold: 3, backoff: '1s' },
        ],
      };
    }
    return stringify(config);
  }

  private async renderAuth(): Promise<Record<string, unknown> | undefined> {
    const auth = this.options.auth ?? { mode: 'none' };
    switch (auth.mode) {
      case 'none':
        return undefined;
      case 'htpasswd': {
        const path = join(this.dir.path, 'htpasswd');
        await writeFile(path, await makeHtpasswd(auth.users, { signal: this.options.signal }));
        return { htpasswd: { realm: 'airlock-test', path } };
      }
      case 'token':
        return {
          token: {
            realm: auth.realm,
            service: auth.service,
            issuer: auth.issuer,
            rootcertbundle: auth.rootCertBundlePath,
          },
        };
    }
  }
}

async function sizeOf(path: string): Promise<number> {
  try {
    return (await stat(path)).size;
  } catch {
    return 0;
  }
}
