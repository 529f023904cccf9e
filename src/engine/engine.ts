import { createHash } from 'node:crypto';
import { AppError, type Logger } from '../kernel/index.js';
import type {
  PostgresApprovalStore,
  PostgresEventStore,
  PostgresLogStore,
  PostgresRunStore,
  PostgresWorkflowStore,
  StoredApproval,
  StoredLogLine,
  StoredRun,
  StoredWorkflowVersion,
} from '../store/index.js';
import type { ActionRegistry } from './actions/contract.js';
import type { CancellationHub } from './cancellation.js';
import { compileDag, evaluateTemplate, parseWorkflow, resolveInputs } from './definition/index.js';
import type { ExpressionScope, WorkflowDefinition } from './definition/types.js';
import {
  cancelRunWorkflow,
  enqueueRun,
  scheduleProblem,
  sendMessage,
  syncSchedules,
  type ScheduleSpec,
} from './dbos/control.js';
import { newRunId } from './ids.js';
import { type ApprovalMessage, type RunPlan, approvalTopic } from './runtime/index.js';
import type {
  Actor,
  ApplyOptions,
  Approval,
  ApprovalDecision,
  EngineService,
  EventOutcome,
  EventSource,
  LogLine,
  LogQuery,
  RunDetail,
  RunFilter,
  RunSummary,
  StartRunOptions,
  TriggerSummary,
  WorkflowSummary,
  WorkflowVersion,
  WorkflowVersionSummary,
} from './service.js';
import { registryTriggerMatches } from './triggers/match.js';
import { parseRegistryEvents } from './triggers/registry-events.js';

export interface EngineStores {
  workflows: PostgresWorkflowStore;
  runs: PostgresRunStore;
  logs: PostgresLogStore;
  approvals: PostgresApprovalStore;
  events: PostgresEventStore;
}

export interface WorkflowEngineOptions {
  stores: EngineStores;
  actions: ActionRegistry;
  cancellation: CancellationHub;
  logger: Logger;
  /** How often `followLogs` looks for new lines. */
  logPollMs?: number;
  /**
   * Told of each run the engine starts by itself (a schedule's firing, a workflow.completed
   * trigger), for the audit log; the API records the runs it starts.
   */
  onSystemStart?: (run: RunSummary, actor: Actor) => Promise<void>;
}

const FINISHED = new Set(['succeeded', 'failed', 'cancelled']);
const SYSTEM: Actor = { subject: 'system:engine', roles: ['admin'] };

/**
 * The engine as the API and CLI see it: definitions (validated, versioned, immutable), runs
 * (started on the durable run queue, so any worker executes them), approvals, logs and
 * registry events. The durable execution itself is `runtime/` over `dbos/`.
 */
export class WorkflowEngine implements EngineService {
  constructor(private readonly options: WorkflowEngineOptions) {}

  private get stores(): EngineStores {
    return this.options.stores;
  }

  async applyWorkflow(
    source: string,
    options: ApplyOptions,
  ): Promise<{ version: WorkflowVersion; created: boolean }> {
    const definition = parseWorkflow(source, {
      file: options.file,
      knownActions: (uses) => uses === 'approval@v1' || this.options.actions.get(uses) !== undefined,
    });
    // The definition's own cron check and the scheduler's must agree; a disagreement is refused here.
    const refused = definition.on.flatMap((t, i) => {
      const problem = t.type === 'schedule' ? scheduleProblem(t.cron, t.timezone) : undefined;
      return problem
        ? [
            `${options.file ?? definition.name}: on.schedule[${i}]: the scheduler refuses "${t.type === 'schedule' ? t.cron : ''}": ${problem}`,
          ]
        : [];
    });
    if (refused.length > 0) throw new AppError('ENGINE_DEFINITION_INVALID', refused.join('\n'));
    const digest = `sha256:${createHash('sha256').update(source).digest('hex')}`;
    const { version, created } = await this.stores.workflows.insertVersion({
      name: definition.name,
      digest,
      source,
      definition: definition as unknown as Record<string, unknown>,
      createdBy: options.actor.subject,
    });
    if (created) {
      await this.syncSchedules().catch((error: unknown) =>
        this.options.logger.error(
          { err: (error as Error).message },
          'could not update the workflow schedules',
        ),
      );
    }
    return { version: toVersion(version), created };
  }

  async listWorkflows(): Promise<WorkflowSummary[]> {
    return (await this.stores.workflows.latest()).map((v) => {
      const definition = v.definition as unknown as WorkflowDefinition;
      return {
        name: v.name,
        ...(definition.description ? { description: definition.description } : {}),
        latestVersion: v.version,
        triggers: definition.on.map(describeTrigger),
        updatedAt: v.createdAt.toISOString(),
      };
    });
  }

  async getWorkflow(name: string, version?: number): Promise<WorkflowVersion | undefined> {
    const stored = await this.stores.workflows.get(name, version);
    return stored ? toVersion(stored) : undefined;
  }

  async listWorkflowVersions(name: string): Promise<WorkflowVersionSummary[]> {
    return (await this.stores.workflows.listVersions(name)).map((v) => ({
      name: v.name,
      version: v.version,
      digest: v.digest,
      createdAt: v.createdAt.toISOString(),
      createdBy: v.createdBy,
    }));
  }

  async startRun(workflow: string, options: StartRunOptions): Promise<RunSummary> {
    return (await this.createRun(workflow, options)).summary;
  }

  /** A run the engine starts by itself, audited through `onSystemStart` when it is new. */
  private async startSystemRun(workflow: string, options: StartRunOptions): Promise<RunSummary> {
    const { summary, created } = await this.createRun(workflow, options);
    if (created) {
      await this.options
        .onSystemStart?.(summary, options.actor)
        .catch((error: unknown) =>
          this.options.logger.error(
            { run: summary.id, err: (error as Error).message },
            'the start of a run could not be audited',
          ),
        );
    }
    return summary;
  }

  private async createRun(
    workflow: string,
    options: StartRunOptions,
  ): Promise<{ summary: RunSummary; created: boolean }> {
    const stored = await this.stores.workflows.get(workflow, options.version);
    if (!stored) {
      throw new AppError(
        'ENGINE_WORKFLOW_NOT_FOUND',
        options.version === undefined
          ? `no workflow named "${workflow}": apply it first`
          : `workflow "${workflow}" has no version ${options.version}`,
      );
    }
    const definition = stored.definition as unknown as WorkflowDefinition;
    const inputs = resolveInputs(definition, options.inputs ?? {});
    const { run, created } = await this.stores.runs.create({
      id: newRunId(),
      workflow: stored.name,
      version: stored.version,
      trigger: options.trigger ?? { type: 'manual' },
      inputs,
      startedBy: options.actor.subject,
      ...(options.idempotencyKey ? { idempotencyKey: options.idempotencyKey } : {}),
    });
    // A run found by its idempotency key that is still queued may have lost its enqueue
    // (a crash in between, or a replayed trigger step): enqueueing by run id is idempotent.
    if (created || run.status === 'queued') await enqueueRun(run.id);
    return { summary: toSummary(run), created };
  }

  /** Puts a run on the queue again if its first enqueue was lost (a crash between row and enqueue). */
  async redispatch(runId: string): Promise<void> {
    await enqueueRun(runId);
  }

  async listRuns(filter: RunFilter = {}): Promise<RunSummary[]> {
    const rows = await this.stores.runs.list({ ...filter, limit: Math.min(filter.limit ?? 50, 500) });
    return rows.map(toSummary);
  }

  async getRun(id: string): Promise<RunDetail | undefined> {
    const run = await this.stores.runs.get(id);
    if (!run) return undefined;
    const steps = await this.stores.runs.steps(id);
    return {
      ...toSummary(run),
      steps: steps.map((s) => ({
        stepId: s.stepId,
        ...(s.index >= 0 ? { index: s.index } : {}),
        uses: s.uses,
        status: s.status as RunDetail['steps'][number]['status'],
        attempt: s.attempt,
        ...(s.startedAt ? { startedAt: s.startedAt.toISOString() } : {}),
        ...(s.finishedAt ? { finishedAt: s.finishedAt.toISOString() } : {}),
        ...(s.outputs ? { outputs: s.outputs } : {}),
        ...(s.error ? { error: s.error } : {}),
      })),
      ...(run.outputs ? { outputs: run.outputs } : {}),
      ...(run.error ? { error: run.error } : {}),
    };
  }

  async cancelRun(id: string, actor: Actor): Promise<RunSummary> {
    const run = await this.requireRun(id);
    if (FINISHED.has(run.status))
      throw new AppError(
        'ENGINE_RUN_STATE_CONFLICT',
        `run ${id} already ${run.status}; only queued, running or waiting runs can be cancelled`,
      );
    await cancelRunWorkflow(id);
    const updated = await this.stores.runs.setStatus(id, 'cancelled', {
      error: { code: 'ABORTED', message: `cancelled by ${actor.subject}` },
    });
    await this.stores.approvals.cancelPending(id, actor.subject);
    await this.options.cancellation.broadcast(id);
    return toSummary(updated ?? (await this.requireRun(id)));
  }

  async retryRun(id: string, actor: Actor): Promise<RunSummary> {
    const run = await this.requireRun(id);
    return this.startRun(run.workflow, {
      version: run.version,
      inputs: run.inputs,
      actor,
      trigger: { type: 'retry', event: { run: id } },
    });
  }

  async runLogs(id: string, options: LogQuery = {}): Promise<LogLine[]> {
    await this.requireRun(id);
    return (await this.stores.logs.read(id, options)).map(toLogLine);
  }

  async *followLogs(id: string, options: LogQuery & { signal: AbortSignal }): AsyncIterable<LogLine> {
    let after = options.afterSeq ?? 0;
    const poll = this.options.logPollMs ?? 300;
    while (!options.signal.aborted) {
      const lines = await this.stores.logs.read(id, {
        afterSeq: after,
        ...(options.stepId ? { stepId: options.stepId } : {}),
      });
      for (const line of lines) {
        after = line.seq;
        yield toLogLine(line);
      }
      if (lines.length === 0) {
        const run = await this.stores.runs.get(id);
        if (!run || FINISHED.has(run.status)) {
          // One last read: lines written just before the run finished.
          for (const line of await this.stores.logs.read(id, { afterSeq: after })) yield toLogLine(line);
          return;
        }
        await new Promise((resolve) => setTimeout(resolve, poll));
      }
    }
  }

  async listApprovals(filter: { status?: Approval['status']; runId?: string } = {}): Promise<Approval[]> {
    return (await this.stores.approvals.list(filter)).map(toApproval);
  }

  async decide(runId: string, decision: ApprovalDecision): Promise<Approval> {
    if (!decision.reason?.trim())
      throw new AppError(
        'ENGINE_INPUT_INVALID',
        'a decision needs a reason (it is recorded in the audit log)',
      );
    // A forEach approval's items are named `gate[2]`; `gate` alone names all of them.
    const named = decision.stepId === undefined ? undefined : /^(.+)\[(\d+)\]$/.exec(decision.stepId);
    const stepId = named ? named[1]! : decision.stepId;
    const index = named ? Number(named[2]) : undefined;
    const pending = (await this.stores.approvals.list({ runId, status: 'pending' }))
      .filter(
        (a) => (stepId === undefined || a.stepId === stepId) && (index === undefined || a.index === index),
      )
      // In step and item order, whichever was requested first: the items of a fan-out ask at once.
      .sort((a, b) => a.stepId.localeCompare(b.stepId) || a.index - b.index);
    const label = (a: { stepId: string; index: number }) =>
      a.index >= 0 ? `${a.stepId}[${a.index}]` : a.stepId;
    if (pending.length === 0)
      throw new AppError(
        'ENGINE_APPROVAL_NOT_FOUND',
        `run ${runId} has no pending approval${decision.stepId ? ` at step ${decision.stepId}` : ''}`,
      );
    if (pending.length > 1)
      throw new AppError(
        'ENGINE_INPUT_INVALID',
        `run ${runId} waits for ${pending.length} approvals (${pending.map(label).join(', ')}): name one as the step, e.g. ${label(pending[0]!)}`,
      );
    const approval = pending[0]!;
    if (!mayDecide(approval.approvers, decision.actor)) {
      throw new AppError(
        'ENGINE_APPROVAL_NOT_ALLOWED',
        `${decision.actor.subject} may not decide this approval; approvers: ${approval.approvers.join(', ')}`,
      );
    }
    const decided = await this.stores.approvals.decide(runId, approval.stepId, approval.index, {
      status: decision.decision === 'approve' ? 'approved' : 'denied',
      by: decision.actor.subject,
      reason: decision.reason,
    });
    if (!decided)
      throw new AppError(
        'ENGINE_APPROVAL_NOT_FOUND',
        `the approval of run ${runId} at step ${approval.stepId} was decided meanwhile`,
      );
    const message: ApprovalMessage = {
      decision: decision.decision,
      by: decision.actor.subject,
      reason: decision.reason,
    };
    await sendMessage(
      decided.waiter,
      message,
      approvalTopic(approval.stepId, approval.index >= 0 ? approval.index : undefined),
      `decision:${runId}:${approval.stepId}:${approval.index}`,
    );
    return toApproval(decided);
  }

  async receiveEvent(source: EventSource, body: unknown, actor: Actor): Promise<EventOutcome> {
    const events = parseRegistryEvents(source, body);
    const latest = await this.stores.workflows.latest();
    const runs: RunSummary[] = [];
    let duplicates = 0;
    for (const event of events) {
      if (!(await this.stores.events.firstSeen(event.id))) {
        duplicates++;
        continue;
      }
      for (const version of latest) {
        const definition = version.definition as unknown as WorkflowDefinition;
        if (!definition.on.some((t) => t.type === 'registry' && registryTriggerMatches(t, event))) continue;
        runs.push(
          await this.startRun(version.name, {
            version: version.version,
            actor,
            trigger: { type: 'registry', event },
            idempotencyKey: `event:${event.id}:${version.name}`,
          }),
        );
      }
    }
    return { events: events.length, duplicates, runs };
  }

  async listTriggers(): Promise<TriggerSummary[]> {
    const out: TriggerSummary[] = [];
    for (const version of await this.stores.workflows.latest()) {
      const definition = version.definition as unknown as WorkflowDefinition;
      for (const trigger of definition.on)
        out.push({
          workflow: version.name,
          version: version.version,
          type: trigger.type,
          description: describeTrigger(trigger),
        });
    }
    return out;
  }

  /** `workflow.completed` triggers: runs of workflows that wait for this one. */
  async onRunFinished(runId: string, status: string): Promise<void> {
    this.options.cancellation.release(runId);
    const run = await this.stores.runs.get(runId);
    if (!run) return;
    for (const version of await this.stores.workflows.latest()) {
      const definition = version.definition as unknown as WorkflowDefinition;
      const fires = definition.on.some(
        (t) =>
          t.type === 'workflow' &&
          t.workflows.includes(run.workflow) &&
          (t.conclusion === undefined ||
            t.conclusion === 'any' ||
            (t.conclusion === 'success') === (status === 'succeeded')),
      );
      if (!fires) continue;
      await this.startSystemRun(version.name, {
        version: version.version,
        actor: SYSTEM,
        trigger: { type: 'workflow', event: { run: runId, workflow: run.workflow, status } },
        idempotencyKey: `completed:${runId}:${version.name}`,
      });
    }
  }

  /** A schedule fired (once per tick across all workers). */
  async onSchedule(date: Date, context: unknown): Promise<void> {
    const { workflow, index } = context as { workflow: string; index: number };
    const stored = await this.stores.workflows.get(workflow);
    if (!stored) return;
    const definition = stored.definition as unknown as WorkflowDefinition;
    const trigger = definition.on.filter((t) => t.type === 'schedule')[index];
    const event = { at: date.toISOString() };
    let inputs: Record<string, unknown> = {};
    if (trigger?.type === 'schedule' && trigger.inputs) {
      // A schedule's inputs may use the firing (`${{ trigger.event.at }}`); there is no run yet.
      const scope: ExpressionScope = {
        inputs: {},
        steps: {},
        env: {},
        secrets: {},
        run: { id: '', workflow, version: stored.version, startedAt: event.at, attempt: 1 },
        trigger: { type: 'schedule', event },
      };
      try {
        inputs = evaluateTemplate(trigger.inputs, scope) as Record<string, unknown>;
      } catch (error) {
        this.options.logger.error(
          { workflow, at: event.at, err: (error as Error).message },
          'schedule fired, but its inputs could not be evaluated: no run started',
        );
        return;
      }
    }
    await this.startSystemRun(workflow, {
      version: stored.version,
      actor: { subject: 'system:scheduler', roles: ['operator'] },
      trigger: { type: 'schedule', event },
      inputs,
      idempotencyKey: `schedule:${workflow}:${index}:${event.at}`,
    });
  }

  /** The DBOS schedules for every `schedule` trigger of the latest versions. */
  async syncSchedules(): Promise<void> {
    const desired: ScheduleSpec[] = [];
    for (const version of await this.stores.workflows.latest()) {
      const definition = version.definition as unknown as WorkflowDefinition;
      definition.on
        .filter((t) => t.type === 'schedule')
        .forEach((t, index) => {
          if (t.type !== 'schedule') return;
          const problem = scheduleProblem(t.cron, t.timezone);
          if (problem) {
            this.options.logger.warn({ workflow: version.name, cron: t.cron, problem }, 'schedule skipped');
            return;
          }
          desired.push({
            name: `wf:${version.name}:${index}`,
            cron: t.cron,
            timezone: t.timezone,
            context: { workflow: version.name, index },
          });
        });
    }
    await syncSchedules(desired);
  }

  /** The plan of a run: its definition version and step graph. */
  async loadPlan(runId: string): Promise<RunPlan> {
    const run = await this.requireRun(runId);
    const stored = await this.stores.workflows.get(run.workflow, run.version);
    if (!stored)
      throw new AppError(
        'ENGINE_WORKFLOW_NOT_FOUND',
        `run ${runId}: workflow ${run.workflow} version ${run.version} is missing`,
      );
    const definition = stored.definition as unknown as WorkflowDefinition;
    const dag = compileDag(definition);
    return {
      runId,
      workflow: run.workflow,
      version: run.version,
      definition,
      inputs: run.inputs,
      trigger: run.trigger,
      createdAt: run.createdAt.toISOString(),
      order: dag.order,
      dependencies: dag.dependencies,
    };
  }

  private async requireRun(id: string): Promise<StoredRun> {
    const run = await this.stores.runs.get(id);
    if (!run) throw new AppError('ENGINE_RUN_NOT_FOUND', `no run ${id}`);
    return run;
  }
}

function mayDecide(approvers: string[], actor: Actor): boolean {
  if (actor.roles.includes('admin')) return true;
  return approvers.some((a) =>
    a.startsWith('role:')
      ? actor.roles.includes(a.slice(5) as Actor['roles'][number])
      : a === actor.subject || `user:${a}` === actor.subject,
  );
}

function describeTrigger(trigger: WorkflowDefinition['on'][number]): string {
  switch (trigger.type) {
    case 'manual':
      return 'manual';
    case 'schedule':
      return `schedule ${trigger.cron} (${trigger.timezone})`;
    case 'registry':
      return `registry ${trigger.event} ${trigger.repository}${trigger.tag ? `:${trigger.tag}` : ''}`;
    case 'workflow':
      return `after ${trigger.workflows.join(', ')} completes${trigger.conclusion && trigger.conclusion !== 'any' ? ` (${trigger.conclusion})` : ''}`;
  }
}

function toVersion(v: StoredWorkflowVersion): WorkflowVersion {
  return {
    name: v.name,
    version: v.version,
    digest: v.digest,
    createdAt: v.createdAt.toISOString(),
    createdBy: v.createdBy,
    source: v.source,
    definition: v.definition as unknown as WorkflowDefinition,
  };
}

function toSummary(run: StoredRun): RunSummary {
  return {
    id: run.id,
    workflow: run.workflow,
    version: run.version,
    status: run.status as RunSummary['status'],
    trigger: run.trigger,
    inputs: run.inputs,
    startedBy: run.startedBy,
    createdAt: run.createdAt.toISOString(),
    ...(run.startedAt ? { startedAt: run.startedAt.toISOString() } : {}),
    ...(run.finishedAt ? { finishedAt: run.finishedAt.toISOString() } : {}),
  };
}

function toLogLine(line: Omit<StoredLogLine, 'runId'>): LogLine {
  return {
    seq: line.seq,
    at: line.at.toISOString(),
    ...(line.stepId ? { stepId: line.stepId } : {}),
    ...(line.index !== null && line.index >= 0 ? { index: line.index } : {}),
    level: line.level as LogLine['level'],
    message: line.message,
    ...(line.fields ? { fields: line.fields } : {}),
  };
}

function toApproval(a: StoredApproval): Approval {
  return {
    runId: a.runId,
    stepId: a.stepId,
    ...(a.index >= 0 ? { index: a.index } : {}),
    status: a.status as Approval['status'],
    approvers: a.approvers,
    ...(a.message ? { message: a.message } : {}),
    requestedAt: a.requestedAt.toISOString(),
    ...(a.timeoutAt ? { timeoutAt: a.timeoutAt.toISOString() } : {}),
    ...(a.decidedBy ? { decidedBy: a.decidedBy } : {}),
    ...(a.decidedAt ? { decidedAt: a.decidedAt.toISOString() } : {}),
    ...(a.reason ? { reason: a.reason } : {}),
  };
}
