import { AppError } from '../../kernel/index.js';
import type { WorkflowDefinition } from '../definition/types.js';
import type { LogLine, LogQuery, RunDetail, RunStatus, RunSummary, StepRun, StepStatus } from '../service.js';

export const TERMINAL_RUN_STATUSES: ReadonlySet<RunStatus> = new Set(['succeeded', 'failed', 'cancelled']);
const TERMINAL_STEP_STATUSES: ReadonlySet<StepStatus> = new Set([
  'succeeded',
  'failed',
  'skipped',
  'cancelled',
]);

/**
 * One run of the fake engine: its detail as the API shows it, its log, and listeners woken on
 * every change (log line or status), which is what `followLogs` waits on.
 */
export class FakeRun {
  readonly logs: LogLine[] = [];
  private readonly listeners = new Set<() => void>();

  constructor(
    readonly detail: RunDetail,
    readonly definition: WorkflowDefinition,
    private readonly now: () => string,
  ) {}

  get id(): string {
    return this.detail.id;
  }

  get isFinished(): boolean {
    return TERMINAL_RUN_STATUSES.has(this.detail.status);
  }

  step(stepId: string, index?: number): StepRun {
    const step = this.detail.steps.find((s) => s.stepId === stepId && s.index === index);
    if (!step)
      throw new AppError('USAGE_INVALID', `fake engine: run ${this.id} has no step ${stepId}${index ?? ''}`);
    return step;
  }

  /** Moves the run out of `queued`/`waiting` into `running`. */
  markRunning(): void {
    this.requireActive();
    if (this.detail.status !== 'running') {
      this.detail.status = 'running';
      this.detail.startedAt ??= this.now();
    }
    this.changed();
  }

  setStep(stepId: string, status: StepStatus, patch: Partial<StepRun> = {}, index?: number): StepRun {
    this.requireActive();
    const step = this.step(stepId, index);
    Object.assign(step, patch, { status });
    if (status === 'running' || status === 'waiting') step.startedAt ??= this.now();
    if (TERMINAL_STEP_STATUSES.has(status)) step.finishedAt = this.now();
    this.changed();
    return step;
  }

  /** Ends the run; steps that had not finished are closed with `leftover`. */
  finish(status: 'succeeded' | 'failed' | 'cancelled', leftover: StepStatus): void {
    this.requireActive();
    const time = this.now();
    for (const step of this.detail.steps) {
      if (TERMINAL_STEP_STATUSES.has(step.status)) continue;
      step.status = leftover;
      step.finishedAt = time;
    }
    this.detail.status = status;
    this.detail.finishedAt = time;
    this.changed();
  }

  append(line: Omit<LogLine, 'seq' | 'at'>): LogLine {
    const written: LogLine = { seq: this.logs.length + 1, at: this.now(), ...line };
    this.logs.push(written);
    this.changed();
    return written;
  }

  /** Resolves at the next change, or when `signal` aborts. */
  nextChange(signal: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        this.listeners.delete(done);
        signal.removeEventListener('abort', done);
        resolve();
      };
      this.listeners.add(done);
      signal.addEventListener('abort', done, { once: true });
      if (signal.aborted) done();
    });
  }

  private changed(): void {
    for (const listener of [...this.listeners]) listener();
  }

  private requireActive(): void {
    if (this.isFinished)
      throw new AppError(
        'ENGINE_RUN_STATE_CONFLICT',
        `run ${this.id} has already finished (${this.detail.status})`,
        { details: { run: this.id, status: this.detail.status } },
      );
  }
}

export function summaryOf(detail: RunDetail): RunSummary {
  const { steps: _steps, outputs: _outputs, error: _error, ...summary } = detail;
  return structuredClone(summary);
}

export function matchesLogQuery(line: LogLine, query: LogQuery): boolean {
  return line.seq > (query.afterSeq ?? 0) && (query.stepId === undefined || line.stepId === query.stepId);
}
