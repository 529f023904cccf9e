import { z } from 'zod';
import { silentLogger } from '../../kernel/index.js';
import { type ActionDefinition, ActionFailure, ActionRegistry } from '../actions/contract.js';
import { compileDag, parseWorkflow, resolveInputs } from '../definition/index.js';
import type { RunEnvironment, RunPlan, RunRecorder } from '../runtime/index.js';

/** What an in-memory run recorded: run states, step states (last write wins), approvals. */
export class MemoryRecorder implements RunRecorder {
  readonly runs = new Map<
    string,
    {
      status: string;
      outputs?: Record<string, unknown>;
      error?: { code: string; message: string; step?: string };
    }
  >();
  readonly steps = new Map<string, Parameters<RunRecorder['stepState']>[0]>();
  readonly approvals: Parameters<RunRecorder['requestApproval']>[0][] = [];

  async runStarted(runId: string): Promise<void> {
    this.runs.set(runId, { status: 'running' });
  }

  async runWaiting(runId: string, waiting: boolean): Promise<void> {
    this.runs.set(runId, { status: waiting ? 'waiting' : 'running' });
  }

  async runFinished(
    runId: string,
    status: string,
    fields: { outputs?: Record<string, unknown>; error?: { code: string; message: string; step?: string } },
  ): Promise<void> {
    this.runs.set(runId, { status, ...fields });
  }

  async stepState(state: Parameters<RunRecorder['stepState']>[0]): Promise<void> {
    this.steps.set(`${state.stepId}${state.index === undefined ? '' : `[${state.index}]`}`, state);
  }

  async requestApproval(request: Parameters<RunRecorder['requestApproval']>[0]): Promise<void> {
    this.approvals.push(request);
  }

  async approvalTimedOut(): Promise<void> {}

  status(step: string): string | undefined {
    return this.steps.get(step)?.status;
  }
}

/** Test actions: `test/echo@v1` returns its input; `test/flaky@v1` fails as told; `test/record@v1` logs calls. */
export function testActions(calls: string[] = []): ActionRegistry {
  const echo: ActionDefinition<Record<string, unknown>, Record<string, unknown>> = {
    name: 'test/echo',
    version: 'v1',
    description: 'returns its input as outputs',
    input: z.record(z.string(), z.unknown()),
    output: z.record(z.string(), z.unknown()),
    async run(input, context) {
      calls.push(
        `${context.stepId}${context.index === undefined ? '' : `[${context.index}]`}#${context.attempt}`,
      );
      return input;
    },
  };
  const flaky: ActionDefinition<{ failUntil: number; retryable: boolean }, { attempts: number }> = {
    name: 'test/flaky',
    version: 'v1',
    description: 'fails until the given attempt',
    input: z.object({ failUntil: z.number(), retryable: z.boolean() }),
    output: z.object({ attempts: z.number() }),
    async run(input, context) {
      calls.push(`${context.stepId}#${context.attempt}`);
      if (context.attempt <= input.failUntil)
        throw new ActionFailure(`attempt ${context.attempt} failed`, input.retryable);
      return { attempts: context.attempt };
    },
  };
  return new ActionRegistry().register(echo).register(flaky);
}

/** A run environment over memory: plans from YAML text, the memory recorder, test actions. */
export function memoryEnvironment(
  source: string,
  options: { inputs?: Record<string, unknown>; actions?: ActionRegistry; recorder?: MemoryRecorder } = {},
): { env: RunEnvironment; recorder: MemoryRecorder; plan: RunPlan } {
  const actions = options.actions ?? testActions();
  const definition = parseWorkflow(source, {
    knownActions: (uses) => uses === 'approval@v1' || actions.get(uses) !== undefined,
  });
  const dag = compileDag(definition);
  const plan: RunPlan = {
    runId: 'run-1',
    workflow: definition.name,
    version: 1,
    definition,
    inputs: resolveInputs(definition, options.inputs ?? {}),
    trigger: { type: 'manual' },
    createdAt: new Date(0).toISOString(),
    order: dag.order,
    dependencies: dag.dependencies,
  };
  const recorder = options.recorder ?? new MemoryRecorder();
  const env: RunEnvironment = {
    loadPlan: async () => plan,
    recorder,
    logs: { logger: () => ({ logger: silentLogger, flush: async () => {} }) },
    actions,
    services: {},
    secrets: () => ({ token: 's3cr3t-value' }),
    processEnv: () => ({}),
    cancellation: () => new AbortController().signal,
    logger: silentLogger,
    queueFor: () => undefined,
  };
  return { env, recorder, plan };
}
