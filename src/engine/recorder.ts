import type { PostgresApprovalStore, PostgresRunStore } from '../store/index.js';
import type { RunRecorder } from './runtime/index.js';

/** The interpreter's writes, into the engine's tables. Every write is idempotent. */
export class StoreRecorder implements RunRecorder {
  constructor(
    private readonly runs: PostgresRunStore,
    private readonly approvals: PostgresApprovalStore,
    private readonly onFinished: (runId: string, status: string) => Promise<void>,
  ) {}

  async runStarted(runId: string): Promise<void> {
    await this.runs.setStatus(runId, 'running');
  }

  async runWaiting(runId: string, waiting: boolean): Promise<void> {
    await this.runs.setStatus(runId, waiting ? 'waiting' : 'running');
  }

  async runFinished(
    runId: string,
    status: 'succeeded' | 'failed' | 'cancelled',
    fields: { outputs?: Record<string, unknown>; error?: { code: string; message: string; step?: string } },
  ): Promise<void> {
    const updated = await this.runs.setStatus(runId, status, fields);
    if (updated) await this.onFinished(runId, status);
  }

  async stepState(state: Parameters<RunRecorder['stepState']>[0]): Promise<void> {
    await this.runs.upsertStep({
      runId: state.runId,
      stepId: state.stepId,
      index: state.index ?? -1,
      uses: state.uses,
      status: state.status,
      attempt: state.attempt,
      outputs: state.outputs ?? null,
      error: state.error ?? null,
      started: state.started ?? false,
      finished: state.finished ?? false,
    });
  }

  async requestApproval(request: Parameters<RunRecorder['requestApproval']>[0]): Promise<void> {
    await this.approvals.request({
      runId: request.runId,
      stepId: request.stepId,
      index: request.index ?? -1,
      approvers: request.approvers,
      message: request.message ?? null,
      requestedAt: new Date(),
      timeoutAt: request.timeoutAt ?? null,
      waiter: request.waiter,
    });
  }

  async approvalTimedOut(runId: string, stepId: string, index?: number): Promise<void> {
    await this.approvals.decide(runId, stepId, index ?? -1, {
      status: 'timed-out',
      by: 'system:timeout',
      reason: null,
    });
  }
}
