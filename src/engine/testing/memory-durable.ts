import type { ChildCall, ChildHandle, DurableContext, RunEnvironment } from '../runtime/index.js';
import { runChild } from '../runtime/index.js';

/**
 * An in-memory durable runtime for tests of the interpreter: steps run once, children run
 * concurrently as promises, messages are delivered through a shared bus, sleeps are real
 * (tests use short retry delays). It records the order of step names, so tests can check
 * what ran; it does not survive a crash (that is DBOS's job, tested in integration).
 */
export class MemoryDurableRuntime {
  readonly steps: string[] = [];
  /** Every durable sleep asked for, in milliseconds. */
  readonly sleeps: number[] = [];
  private readonly children = new Map<string, Promise<unknown>>();
  private readonly mailboxes = new Map<string, { messages: unknown[]; waiters: ((m: unknown) => void)[] }>();

  constructor(private readonly env: RunEnvironment) {}

  context(workflowId: string): DurableContext {
    return new MemoryContext(this, workflowId);
  }

  /** Delivers a message to a waiting (or future) `recv` of `workflowId` on `topic`. */
  send(workflowId: string, topic: string, message: unknown): void {
    const box = this.mailbox(`${workflowId}|${topic}`);
    const waiter = box.waiters.shift();
    if (waiter) waiter(message);
    else box.messages.push(message);
  }

  /** @internal */
  recordStep(name: string): void {
    this.steps.push(name);
  }

  /** @internal */
  start(call: ChildCall): ChildHandle {
    if (!this.children.has(call.id))
      this.children.set(call.id, runChild(this.context(call.id), this.env, call));
    return { id: call.id };
  }

  /** @internal */
  promiseOf(id: string): Promise<unknown> {
    return this.children.get(id)!;
  }

  /** @internal */
  mailbox(key: string): { messages: unknown[]; waiters: ((m: unknown) => void)[] } {
    let box = this.mailboxes.get(key);
    if (!box) {
      box = { messages: [], waiters: [] };
      this.mailboxes.set(key, box);
    }
    return box;
  }
}

class MemoryContext implements DurableContext {
  constructor(
    private readonly runtime: MemoryDurableRuntime,
    readonly workflowId: string,
  ) {}

  async step<T>(name: string, fn: () => Promise<T>): Promise<T> {
    this.runtime.recordStep(`${this.workflowId}:${name}`);
    return fn();
  }

  async startChild(call: ChildCall): Promise<ChildHandle> {
    return this.runtime.start(call);
  }

  async waitFirst(handles: ChildHandle[]): Promise<ChildHandle> {
    return Promise.race(handles.map((h) => this.runtime.promiseOf(h.id).then(() => h)));
  }

  result<T>(handle: ChildHandle): Promise<T> {
    return this.runtime.promiseOf(handle.id) as Promise<T>;
  }

  recv<T>(topic: string, timeoutMs: number): Promise<T | null> {
    const box = this.runtime.mailbox(`${this.workflowId}|${topic}`);
    const waiting = box.messages.shift();
    if (waiting !== undefined) return Promise.resolve(waiting as T);
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        box.waiters.splice(box.waiters.indexOf(deliver), 1);
        resolve(null);
      }, timeoutMs);
      const deliver = (message: unknown) => {
        clearTimeout(timer);
        resolve(message as T);
      };
      box.waiters.push(deliver);
    });
  }

  sleep(ms: number): Promise<void> {
    this.runtime.sleeps.push(ms);
    return new Promise((resolve) => setTimeout(resolve, ms));
  }
}
