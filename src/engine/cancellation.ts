import pg from 'pg';
import type { Logger } from '../kernel/index.js';

const CHANNEL = 'airlock_run_cancelled';

/**
 * Cancellation of in-flight work across processes: cancelling a run notifies every engine
 * process (Postgres LISTEN/NOTIFY), and each aborts the signal its running steps of that run
 * were given.
 */
export class CancellationHub {
  private readonly controllers = new Map<string, AbortController>();
  private client: pg.Client | undefined;

  constructor(
    private readonly connectionString: string,
    private readonly logger: Logger,
  ) {}

  async start(): Promise<void> {
    const client = new pg.Client({ connectionString: this.connectionString });
    client.on('notification', (message) => {
      if (message.channel === CHANNEL && message.payload) this.abortLocal(message.payload);
    });
    client.on('error', (error) =>
      this.logger.warn({ err: error.message }, 'cancellation listener connection failed'),
    );
    await client.connect();
    await client.query(`LISTEN ${CHANNEL}`);
    this.client = client;
  }

  /** The signal in-flight steps of `runId` in this process observe. */
  signal(runId: string): AbortSignal {
    let controller = this.controllers.get(runId);
    if (!controller) {
      controller = new AbortController();
      this.controllers.set(runId, controller);
    }
    return controller.signal;
  }

  /** Tells every process (this one included) that `runId` is cancelled. */
  async broadcast(runId: string): Promise<void> {
    this.abortLocal(runId);
    await this.client?.query('SELECT pg_notify($1, $2)', [CHANNEL, runId]);
  }

  /** Forgets a finished run's controller. */
  release(runId: string): void {
    this.controllers.delete(runId);
  }

  async stop(): Promise<void> {
    await this.client?.end().catch(() => undefined);
    this.client = undefined;
  }

  private abortLocal(runId: string): void {
    this.controllers.get(runId)?.abort();
  }
}
