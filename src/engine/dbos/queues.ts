import { DBOS } from '@dbos-inc/dbos-sdk';

export interface QueueLimits {
  /** Runs of this queue at once, across all workers. */
  concurrency?: number;
  /** At most `limit` starts per `periodSeconds`, across all workers (upstream pull quotas). */
  rateLimit?: { limit: number; periodSeconds: number };
}

const registered = new Set<string>();

/** Makes sure a database-backed queue exists with these limits (they hold across every worker). */
export async function ensureQueue(name: string, limits: QueueLimits): Promise<void> {
  if (registered.has(name)) return;
  await DBOS.registerQueue(name, {
    ...(limits.concurrency ? { globalConcurrency: limits.concurrency } : {}),
    ...(limits.rateLimit
      ? { rateLimit: { limitPerPeriod: limits.rateLimit.limit, periodSec: limits.rateLimit.periodSeconds } }
      : {}),
    minPollingIntervalMs: 200,
    onConflict: 'always_update',
  });
  registered.add(name);
}
