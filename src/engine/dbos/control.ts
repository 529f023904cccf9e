import { AsyncLocalStorage } from 'node:async_hooks';
import { DBOS } from '@dbos-inc/dbos-sdk';
import { getExecutor } from '@dbos-inc/dbos-sdk/internal/dbos';
import { validateCrontab, validateTimezone } from '@dbos-inc/dbos-sdk/internal/scheduler/crontab';
import { RUN_QUEUE, runWorkflowFn, scheduledFn } from './runtime.js';

export { ensureQueue, type QueueLimits } from './queues.js';

/**
 * The execution context of this module's loading: no DBOS workflow or step. Runs started by
 * triggers (a schedule's firing, a run that finished) are started from inside durable steps,
 * where DBOS refuses to start workflows; a run is an independent top-level workflow, so it is
 * started from outside. Starting is idempotent (the run id is the workflow id), so a replayed
 * step starts nothing twice.
 */
const outsideDurableContext = AsyncLocalStorage.snapshot();

/** Starts (or, with the same id, finds) a run's durable workflow on the run queue. */
export async function enqueueRun(runId: string): Promise<void> {
  await outsideDurableContext(() =>
    DBOS.startWorkflow(runWorkflowFn, { workflowID: runId, queueName: RUN_QUEUE })(runId),
  );
}

export async function cancelRunWorkflow(runId: string): Promise<void> {
  await DBOS.cancelWorkflow(runId, { cancelChildren: true });
}

export async function sendMessage(
  workflowId: string,
  message: unknown,
  topic: string,
  idempotencyKey: string,
): Promise<void> {
  await DBOS.send(workflowId, message, topic, idempotencyKey);
}

export async function workflowExists(id: string): Promise<boolean> {
  return (await DBOS.getWorkflowStatus(id)) !== null;
}

/**
 * Puts the unfinished workflows of dead workers back on the queue any worker takes them from:
 * DBOS resumes each from its last completed step.
 */
export async function recoverExecutors(executorIds: string[]): Promise<number> {
  if (executorIds.length === 0) return 0;
  const handles = await getExecutor().recoverPendingWorkflows(executorIds);
  return handles.length;
}

export interface ScheduleSpec {
  name: string;
  cron: string;
  timezone: string;
  context: unknown;
}

/** Replaces the engine's schedules (names prefixed `wf:`) with `desired`. */
export async function syncSchedules(desired: ScheduleSpec[]): Promise<void> {
  const wanted = new Set(desired.map((s) => s.name));
  for (const existing of await DBOS.listSchedules({ scheduleNamePrefix: 'wf:' })) {
    if (!wanted.has(existing.scheduleName)) await DBOS.deleteSchedule(existing.scheduleName);
  }
  if (desired.length === 0) return;
  await DBOS.applySchedules(
    desired.map((s) => ({
      scheduleName: s.name,
      workflowFn: scheduledFn,
      schedule: s.cron,
      cronTimezone: s.timezone,
      context: s.context,
    })),
  );
}

/** Why DBOS's scheduler would refuse this schedule, if it would (checked before applying any). */
export function scheduleProblem(cron: string, timezone: string): string | undefined {
  try {
    validateCrontab(cron);
    validateTimezone(timezone);
    return undefined;
  } catch (error) {
    return (error as Error).message;
  }
}
