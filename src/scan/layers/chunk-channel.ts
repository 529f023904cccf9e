/**
 * Chunks a probe may have queued before the reader waits for it: enough to overlap the probe's
 * work on one chunk with the parser producing the next, few enough to bound memory.
 */
const CAPACITY = 2;

type Waiter = { resolve(result: IteratorResult<Buffer>): void; reject(error: unknown): void };

/**
 * Hands a file's chunks to one probe as an async iterable, with backpressure: `offer` returns a
 * promise when the probe is behind, and the reader awaits it before producing more. A probe
 * that stops early (returns, breaks out of its loop, throws) detaches, and the remaining chunks
 * are dropped for it while the reader goes on draining the file.
 */
export class ChunkChannel implements AsyncIterableIterator<Buffer> {
  private readonly queue: Buffer[] = [];
  private ended = false;
  private failed = false;
  private failure: unknown;
  private detached = false;
  private consumer: Waiter | undefined;
  private producer: (() => void) | undefined;

  /** Queues a chunk; the promise, when there is one, resolves once the probe has room again. */
  offer(chunk: Buffer): Promise<void> | undefined {
    if (this.detached) return undefined;
    const consumer = this.consumer;
    if (consumer !== undefined) {
      this.consumer = undefined;
      consumer.resolve({ value: chunk, done: false });
      return undefined;
    }
    this.queue.push(chunk);
    if (this.queue.length < CAPACITY) return undefined;
    return new Promise((resolve) => {
      this.producer = resolve;
    });
  }

  /** The file is complete. */
  end(): void {
    this.ended = true;
    this.settleConsumer();
  }

  /** Reading the file failed; the probe's next read throws `error`. */
  fail(error: unknown): void {
    this.failed = true;
    this.failure = error;
    this.settleConsumer();
  }

  /** The probe is done with the file, whether or not it read all of it. */
  detach(): void {
    this.detached = true;
    this.queue.length = 0;
    this.releaseProducer();
    this.settleConsumer();
  }

  next(): Promise<IteratorResult<Buffer>> {
    const chunk = this.queue.shift();
    if (chunk !== undefined) {
      this.releaseProducer();
      return Promise.resolve({ value: chunk, done: false });
    }
    if (this.failed) return Promise.reject(this.failure);
    if (this.ended || this.detached) return Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve, reject) => {
      this.consumer = { resolve, reject };
    });
  }

  return(): Promise<IteratorResult<Buffer>> {
    this.detach();
    return Promise.resolve({ value: undefined, done: true });
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  private releaseProducer(): void {
    const producer = this.producer;
    this.producer = undefined;
    producer?.();
  }

  private settleConsumer(): void {
    const consumer = this.consumer;
    if (consumer === undefined) return;
    this.consumer = undefined;
    if (this.failed) consumer.reject(this.failure);
    else consumer.resolve({ value: undefined, done: true });
  }
}
