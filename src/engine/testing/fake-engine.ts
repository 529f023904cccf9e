import { createHash, randomUUID } from 'node:crypto';
import { AppError, type Clock, systemClock } from '../../kernel/index.js';
import { matchesGlob } from '../definition/glob.js';
import type { WorkflowDefinition } from '../definition/types.js';
import type {
  Actor,
  ApplyOptions,
  Approval,
  ApprovalDecision,
  ApprovalStatus,
  EngineService,
  EventOutcome,
  EventSource,
  LogLine,
  LogQuery,
  RunDetail,
  RunFilter,
  RunSummary,
  StartRunOptions,
  StepRun,
  TriggerSummary,
  WorkflowSummary,
  WorkflowVersion,
  WorkflowVersionSummary,
} from '../service.js';
import { parseRegistryEvents } from '../triggers/registry-events.js';
import { compileFakeWorkflow, describeTrigger } from './fake-definition.js';
import { resolveFakeInputs } from './fake-inputs.js';
import { FakeApprovals, mayDecide } from './fake-approvals.js';
import { FakeRun, matchesLogQuery, summaryOf } from './fake-run.js';

export interface FakeEngineOptions {
  clock?: Clock;
  /** The compiler applied definitions go through; a minimal one by default (see `compileFakeWorkflow`). */
  compile?: (source: string, file?: string) => WorkflowDefinition;
}

/** Runs listed when the filter names no limit, as the engine does. */
const DEFAULT_RUN_LIMIT = 50;

/**
 * A working, in-memory {@link EngineService} for tests of what sits on the engine (the HTTP API,
 * the CLI): definitions are compiled and versioned, runs move through real states, logs can be
 * followed live, approvals wait for decisions, and registry events start runs once. Nothing
 * executes steps: the test drives each run with `beginStep`, `log`, `completeStep`,
 * `requestApproval`, `failStep`, `completeRun` …, the way workers would.
 */
export class FakeEngine implements EngineService {
  private readonly clock: Clock;
  private readonly compile: (source: string, file?: string) => WorkflowDefinition;
  private readonly versions = new Map<string, WorkflowVersion[]>();
  /** In creation order. */
  private readonly runs = new Map<string, FakeRun>();
  private readonly idempotency = new Map<string, string>();
  private readonly approvals = new FakeApprovals();
  private readonly seenEvents = new Set<string>();

  constructor(options: FakeEngineOptions = {}) {
    this.clock = options.clock ?? systemClock;
    this.compile = options.compile ?? compileFakeWorkflow;
  }

  // Definitions.

  async applyWorkflow(
    source: string,
    options: ApplyOptions,
  ): Promise<{ version: WorkflowVersion; created: boolean }> {
    const definition = this.compile(source, options.file);
    const digest = `sha256:${createHash('sha256').update(source).digest('hex')}`;
    const history = this.versions.get(definition.name) ?? [];
    const latest = history.at(-1);
    if (latest?.digest === digest) return { version: latest, created: false };
    const version: WorkflowVersion = {
      name: definition.name,
      version: (latest?.version ?? 0) + 1,
      digest,
      createdAt: this.now(),
      createdBy: options.actor.subject,
      source,
      definition,
    };
    this.versions.set(definition.name, [...history, version]);
    return { version, created: true };
  }

  async listWorkflows(): Promise<WorkflowSummary[]> {
    return [...this.versions.values()]
      .map((history) => history.at(-1)!)
      .sort((a, b) => a.name.localeCompare(b.name))
      .map((latest) => ({
        name: latest.name,
        ...(latest.definition.description ? { description: latest.definition.description } : {}),
        latestVersion: latest.version,
        triggers: latest.definition.on.map((t) => t.type),
        updatedAt: latest.createdAt,
      }));
  }

  async getWorkflow(name: string, version?: number): Promise<WorkflowVersion | undefined> {
    const history = this.versions.get(name) ?? [];
    return version === undefined ? history.at(-1) : history.find((v) => v.version === version);
  }

  async listWorkflowVersions(name: string): Promise<WorkflowVersionSummary[]> {
    return (this.versions.get(name) ?? []).map(({ name: n, version, digest, createdAt, createdBy }) => ({
      name: n,
      version,
      digest,
      createdAt,
      createdBy,
    }));
  }

  // Runs.

  async startRun(workflow: string, options: StartRunOptions): Promise<RunSummary> {
    const key =
      options.idempotencyKey === undefined ? undefined : `${workflow}\u0000${options.idempotencyKey}`;
    const existing = key === undefined ? undefined : this.idempotency.get(key);
    if (existing) return summaryOf(this.runs.get(existing)!.detail);
    const version = await this.getWorkflow(workflow, options.version);
    if (!version) {
      const which = options.version === undefined ? '' : ` version ${options.version}`;
      throw new AppError('ENGINE_WORKFLOW_NOT_FOUND', `workflow ${workflow}${which} does not exist`, {
        details: { workflow },
      });
    }
    const run = this.createRun(version, options);
    if (key !== undefined) this.idempotency.set(key, run.id);
    return summaryOf(run.detail);
  }

  async listRuns(filter: RunFilter = {}): Promise<RunSummary[]> {
    let runs = [...this.runs.values()].reverse();
    if (filter.before !== undefined) {
      const at = runs.findIndex((r) => r.id === filter.before);
      runs = at < 0 ? [] : runs.slice(at + 1);
    }
    return runs
      .filter((r) => filter.workflow === undefined || r.detail.workflow === filter.workflow)
      .filter((r) => filter.status === undefined || r.detail.status === filter.status)
      .slice(0, filter.limit ?? DEFAULT_RUN_LIMIT)
      .map((r) => summaryOf(r.detail));
  }

  async getRun(id: string): Promise<RunDetail | undefined> {
    const run = this.runs.get(id);
    return run ? structuredClone(run.detail) : undefined;
  }

  async cancelRun(id: string, _actor: Actor): Promise<RunSummary> {
    const run = this.requireRun(id);
    run.finish('cancelled', 'cancelled');
    this.approvals.close(id);
    return summaryOf(run.detail);
  }

  async retryRun(id: string, actor: Actor): Promise<RunSummary> {
    const run = this.requireRun(id);
    if (!run.isFinished)
      throw new AppError(
        'ENGINE_RUN_STATE_CONFLICT',
        `run ${id} is ${run.detail.status}: only finished runs can be retried`,
        {
          details: { run: id, status: run.detail.status },
        },
      );
    const version = (await this.getWorkflow(run.detail.workflow, run.detail.version))!;
    const retry = this.createRun(version, {
      actor,
      inputs: run.detail.inputs,
      trigger: { type: 'retry', event: { run: id } },
    });
    return summaryOf(retry.detail);
  }

  async runLogs(id: string, options: LogQuery = {}): Promise<LogLine[]> {
    return this.requireRun(id).logs.filter((line) => matchesLogQuery(line, options));
  }

  async *followLogs(id: string, options: LogQuery & { signal: AbortSignal }): AsyncIterable<LogLine> {
    const run = this.requireRun(id);
    let after = options.afterSeq ?? 0;
    while (!options.signal.aborted) {
      const finished = run.isFinished;
      const next = run.nextChange(options.signal);
      for (const line of run.logs.filter((l) => matchesLogQuery(l, { ...options, afterSeq: after }))) {
        after = line.seq;
        yield line;
      }
      if (finished || run.isFinished) return;
      await next;
    }
  }

  // Approvals.

  async listApprovals(filter: { status?: ApprovalStatus; runId?: string } = {}): Promise<Approval[]> {
    return this.approvals.list(filter);
  }

  async decide(runId: string, decision: ApprovalDecision): Promise<Approval> {
    const run = this.requireRun(runId);
    const approval = this.approvals.pending(runId, decision.stepId);
    if (!mayDecide(decision.actor, approval.approvers))
      throw new AppError(
        'ENGINE_APPROVAL_NOT_ALLOWED',
        `${decision.actor.subject} may not decide step ${approval.stepId} of run ${runId}: approvers are ${approval.approvers.join(', ')}`,
        { details: { run: runId, step: approval.stepId } },
      );
    Object.assign(approval, {
      status: decision.decision === 'approve' ? 'approved' : 'denied',
      decidedBy: decision.actor.subject,
      decidedAt: this.now(),
      reason: decision.reason,
    });
    const outputs = {
      approved: decision.decision === 'approve',
      decidedBy: decision.actor.subject,
      reason: decision.reason,
    };
    if (decision.decision === 'approve') {
      run.setStep(approval.stepId, 'succeeded', { outputs }, approval.index);
      run.markRunning();
    } else {
      const error = {
        code: 'ENGINE_APPROVAL_DENIED',
        message: `denied by ${decision.actor.subject}: ${decision.reason}`,
      };
      run.setStep(approval.stepId, 'failed', { outputs, error }, approval.index);
      run.detail.error = { ...error, step: approval.stepId };
      run.finish('failed', 'skipped');
    }
    return { ...approval };
  }

  // Events and triggers.

  async receiveEvent(source: EventSource, body: unknown, actor: Actor): Promise<EventOutcome> {
    const events = parseRegistryEvents(source, body);
    const outcome: EventOutcome = { events: events.length, duplicates: 0, runs: [] };
    for (const event of events) {
      if (this.seenEvents.has(event.id)) {
        outcome.duplicates++;
        continue;
      }
      this.seenEvents.add(event.id);
      for (const version of this.latestVersions()) {
        const matches = version.definition.on.some(
          (t) =>
            t.type === 'registry' && t.event === event.action && matchesGlob(t.repository, event.repository),
        );
        if (matches)
          outcome.runs.push(
            summaryOf(this.createRun(version, { actor, trigger: { type: 'registry', event } }).detail),
          );
      }
    }
    return outcome;
  }

  async listTriggers(): Promise<TriggerSummary[]> {
    return this.latestVersions().flatMap((version) =>
      version.definition.on.map((trigger) => ({
        workflow: version.name,
        version: version.version,
        type: trigger.type,
        description: describeTrigger(trigger),
      })),
    );
  }

  // Test controls: what workers would do.

  /** A step starts: the run is running. */
  beginStep(runId: string, stepId: string, index?: number): StepRun {
    const run = this.requireRun(runId);
    run.markRunning();
    return run.setStep(stepId, 'running', { attempt: 1 }, index);
  }

  log(
    runId: string,
    message: string,
    options: Partial<Omit<LogLine, 'seq' | 'at' | 'message'>> = {},
  ): LogLine {
    return this.requireRun(runId).append({ level: 'info', ...options, message });
  }

  completeStep(
    runId: string,
    stepId: string,
    outputs: Record<string, unknown> = {},
    index?: number,
  ): StepRun {
    return this.requireRun(runId).setStep(stepId, 'succeeded', { outputs }, index);
  }

  /** The step fails, and with it the run. */
  failStep(
    runId: string,
    stepId: string,
    error = { code: 'ENGINE_ACTION_FAILED', message: 'step failed' },
  ): void {
    const run = this.requireRun(runId);
    run.setStep(stepId, 'failed', { error });
    run.detail.error = { ...error, step: stepId };
    run.finish('failed', 'skipped');
  }

  /** An approval step starts waiting for a decision. */
  requestApproval(
    runId: string,
    stepId: string,
    options: { approvers?: string[]; message?: string; timeoutAt?: string; index?: number } = {},
  ): Approval {
    const run = this.requireRun(runId);
    run.markRunning();
    run.setStep(stepId, 'waiting', { attempt: 1 }, options.index);
    run.detail.status = 'waiting';
    const approval: Approval = {
      runId,
      stepId,
      ...(options.index === undefined ? {} : { index: options.index }),
      status: 'pending',
      approvers: options.approvers ?? ['role:approver'],
      ...(options.message === undefined ? {} : { message: options.message }),
      requestedAt: this.now(),
      ...(options.timeoutAt === undefined ? {} : { timeoutAt: options.timeoutAt }),
    };
    this.approvals.add(approval);
    return { ...approval };
  }

  /** The run succeeds; steps that had not finished count as succeeded. */
  completeRun(runId: string, outputs: Record<string, unknown> = {}): RunDetail {
    const run = this.requireRun(runId);
    run.detail.outputs = outputs;
    run.finish('succeeded', 'succeeded');
    return structuredClone(run.detail);
  }

  /** The run fails without a step to blame (a time-out, a lost worker). */
  failRun(runId: string, error = { code: 'ENGINE_RUN_FAILED', message: 'run failed' }): RunDetail {
    const run = this.requireRun(runId);
    run.detail.error = error;
    run.finish('failed', 'cancelled');
    return structuredClone(run.detail);
  }

  private createRun(version: WorkflowVersion, options: StartRunOptions): FakeRun {
    const detail: RunDetail = {
      id: randomUUID(),
      workflow: version.name,
      version: version.version,
      status: 'queued',
      trigger: options.trigger ?? { type: 'manual' },
      inputs: resolveFakeInputs(version.definition, options.inputs),
      startedBy: options.actor.subject,
      createdAt: this.now(),
      steps: version.definition.steps.map((step) => ({
        stepId: step.id,
        uses: step.uses,
        status: 'pending',
        attempt: 0,
      })),
    };
    const run = new FakeRun(detail, version.definition, () => this.now());
    this.runs.set(run.id, run);
    return run;
  }

  private requireRun(id: string): FakeRun {
    const run = this.runs.get(id);
    if (!run)
      throw new AppError('ENGINE_RUN_NOT_FOUND', `run ${id} does not exist`, { details: { run: id } });
    return run;
  }

  private latestVersions(): WorkflowVersion[] {
    return [...this.versions.values()].map((history) => history.at(-1)!);
  }

  private now(): string {
    return new Date(this.clock.now()).toISOString();
  }
}
