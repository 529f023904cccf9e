import { hostname } from 'node:os';
import type { Logger } from '../kernel/index.js';
import type { PostgresRunStore, PostgresWorkerStore } from '../store/index.js';
import { recoverExecutors, workflowExists } from './dbos/control.js';

export interface SupervisorOptions {
  executorId: string;
  workers: PostgresWorkerStore;
  runs: PostgresRunStore;
  redispatch: (runId: string) => Promise<void>;
  logger: Logger;
  /** How often this process says it is alive. Default 5 s. */
  heartbeatMs?: number;
  /** Silence after which a worker is considered dead and its runs taken over. Default 30 s. */
  deadAfterMs?: number;
}

/**
 * Keeps the engine's fleet healthy: a heartbeat for this process; takeover of the runs of
 * workers that stopped beating (their unfinished durable workflows go back on the queue,
 * and resume from their last completed step wherever they are picked up); and re-dispatch
 * of runs whose enqueue was lost between the run's row and its durable workflow.
 */
export class Supervisor {
  private timer: NodeJS.Timeout | undefined;
  private ticking: Promise<void> | undefined;
  private ticks = 0;

  constructor(private readonly options: SupervisorOptions) {}

  async start(): Promise<void> {
    await this.beat();
    const every = this.options.heartbeatMs ?? 5_000;
    this.timer = setInterval(() => {
      this.ticking ??= this.tick().finally(() => (this.ticking = undefined));
    }, every);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.ticking;
    await this.options.workers.remove(this.options.executorId).catch(() => undefined);
  }

  /** One round: heartbeat, then (every other round) takeover and re-dispatch. */
  async tick(): Promise<void> {
    try {
      await this.beat();
      if (this.ticks++ % 2 === 0) {
        await this.takeOver();
        await this.redispatchLost();
      }
    } catch (error) {
      this.options.logger.warn({ err: (error as Error).message }, 'engine supervision round failed');
    }
  }

  async takeOver(): Promise<string[]> {
    const dead = await this.options.workers.claimDead(
      this.options.executorId,
      this.options.deadAfterMs ?? 30_000,
    );
    if (dead.length > 0) {
      const count = await recoverExecutors(dead);
      this.options.logger.warn({ dead, workflows: count }, 'took over the runs of workers that stopped');
    }
    return dead;
  }

  private async beat(): Promise<void> {
    await this.options.workers.heartbeat({
      executorId: this.options.executorId,
      hostname: hostname(),
      pid: process.pid,
    });
  }

  private async redispatchLost(): Promise<void> {
    const queued = await this.options.runs.list({ status: 'queued', limit: 100 });
    const old = queued.filter((r) => Date.now() - r.createdAt.getTime() > 60_000);
    for (const run of old) {
      if (!(await workflowExists(run.id))) {
        this.options.logger.warn({ run: run.id }, 're-dispatching a run whose enqueue was lost');
        await this.options.redispatch(run.id);
      }
    }
  }
}
