import { DBOS, type WorkflowHandle } from '@dbos-inc/dbos-sdk';
import type { ChildCall, ChildHandle, DurableContext } from '../runtime/index.js';

/**
 * How often a parent polls for its children's results. DBOS's default (1 s) would add up to a
 * second per finished child to every fan-out; a query every 100 ms per waiting parent is cheap.
 */
const RESULT_POLL = { pollingIntervalMs: 100 };

/**
 * The run interpreter's durable operations over DBOS Transact: steps are `runStep`
 * checkpoints, children are workflows with deterministic ids (optionally on a queue),
 * `waitFirst`, `recv` and `sleep` are DBOS's recorded operations.
 */
export class DbosDurableContext implements DurableContext {
  readonly workflowId: string;
  private readonly handles = new Map<string, WorkflowHandle<unknown>>();

  constructor(
    private readonly child: (call: ChildCall) => Promise<unknown>,
    private readonly ensureQueue: (name: string) => Promise<void>,
  ) {
    this.workflowId = DBOS.workflowID ?? 'outside-a-workflow';
  }

  step<T>(name: string, fn: () => Promise<T>): Promise<T> {
    return DBOS.runStep(fn, { name });
  }

  async startChild(call: ChildCall, options: { queue?: string } = {}): Promise<ChildHandle> {
    if (options.queue) await this.step(`queue:${options.queue}`, () => this.ensureQueue(options.queue!));
    const handle = await DBOS.startWorkflow(this.child, {
      workflowID: call.id,
      ...(options.queue ? { queueName: options.queue } : {}),
    })(call);
    this.handles.set(call.id, handle);
    return { id: call.id };
  }

  async waitFirst(handles: ChildHandle[]): Promise<ChildHandle> {
    const first = await DBOS.waitFirst(
      handles.map((h) => this.handleOf(h.id)),
      RESULT_POLL,
    );
    return { id: first.workflowID };
  }

  result<T>(handle: ChildHandle): Promise<T> {
    return this.handleOf(handle.id).getResult(RESULT_POLL) as Promise<T>;
  }

  recv<T>(topic: string, timeoutMs: number): Promise<T | null> {
    return DBOS.recv<T>(topic, { timeoutSeconds: Math.max(1, Math.ceil(timeoutMs / 1000)) });
  }

  sleep(ms: number): Promise<void> {
    return ms > 0 ? DBOS.sleep(ms) : Promise.resolve();
  }

  private handleOf(id: string): WorkflowHandle<unknown> {
    let handle = this.handles.get(id);
    if (!handle) {
      handle = DBOS.retrieveWorkflow(id);
      this.handles.set(id, handle);
    }
    return handle;
  }
}
