/**
 * A forward-only cursor over a file that arrives as a stream of chunks (a tar entry): read
 * headers, skip to an offset, search a region — without holding the file in memory. Bytes are
 * released as soon as the cursor moves past them; an optional observer sees every byte once,
 * in order, with its offset, so that callers can remember small pieces they may need later.
 */
export type ByteObserver = (bytes: Buffer, offset: number) => void;

export class ForwardReader {
  private readonly iterator: AsyncIterator<Buffer>;
  private readonly queue: Buffer[] = [];
  private queued = 0;
  private offset = 0;
  private ended = false;

  constructor(
    chunks: AsyncIterable<Buffer>,
    private readonly observer?: ByteObserver,
  ) {
    this.iterator = chunks[Symbol.asyncIterator]();
  }

  /** Offset of the next unread byte. */
  get position(): number {
    return this.offset;
  }

  /** Buffers at least `n` bytes ahead (fewer at the end of the file); returns how many are buffered. */
  async ensure(n: number): Promise<number> {
    while (this.queued < n && (await this.pull()));
    return this.queued;
  }

  /** Up to `n` buffered bytes at the cursor, not consumed. Call {@link ensure} first. */
  peek(n: number): Buffer {
    const length = Math.min(n, this.queued);
    const first = this.queue[0];
    if (first && first.length >= length) return first.subarray(0, length);
    return Buffer.concat(this.queue, this.queued).subarray(0, length);
  }

  /** Reads exactly `n` bytes, or fewer at the end of the file. */
  async read(n: number): Promise<Buffer> {
    await this.ensure(n);
    const length = Math.min(n, this.queued);
    const bytes = this.peek(length);
    this.consume(length);
    return Buffer.from(bytes);
  }

  /** Moves the cursor to `target`; false when the file ends first. */
  async skipTo(target: number): Promise<boolean> {
    while (this.offset < target) {
      if (this.queued === 0 && !(await this.pull())) return false;
      this.consume(Math.min(this.queued, target - this.offset));
    }
    return this.offset >= target;
  }

  /**
   * Searches `[position, end)` for `needle` at an offset that `accept` agrees to, consuming
   * the bytes before it. Leaves the cursor at the match and returns its offset, or consumes
   * the region and returns undefined.
   */
  async find(needle: Buffer, end: number, accept: (offset: number) => boolean): Promise<number | undefined> {
    while (this.offset + needle.length <= end) {
      const available = await this.ensure(
        Math.min(end - this.offset, Math.max(needle.length, this.firstLength())),
      );
      if (available < needle.length) break;
      const window = this.peek(Math.min(available, end - this.offset));
      let from = 0;
      for (;;) {
        const index = window.indexOf(needle, from);
        if (index < 0) break;
        if (accept(this.offset + index)) {
          this.consume(index);
          return this.offset;
        }
        from = index + 1;
      }
      // Keep the last needle.length - 1 bytes: a match may start there and end in the next chunk.
      const keep = this.offset + window.length >= end ? 0 : needle.length - 1;
      this.consume(Math.max(1, window.length - keep));
    }
    await this.skipTo(end);
    return undefined;
  }

  /** Stops the upstream iterator early: the rest of the file is not needed. */
  async close(): Promise<void> {
    if (this.ended) return;
    this.ended = true;
    this.queue.length = 0;
    this.queued = 0;
    await this.iterator.return?.();
  }

  private firstLength(): number {
    return this.queue[0]?.length ?? 0;
  }

  private async pull(): Promise<boolean> {
    if (this.ended) return false;
    const next = await this.iterator.next();
    if (next.done) {
      this.ended = true;
      return false;
    }
    if (next.value.length > 0) {
      this.queue.push(next.value);
      this.queued += next.value.length;
    }
    return true;
  }

  private consume(n: number): void {
    let remaining = n;
    while (remaining > 0) {
      const first = this.queue[0]!;
      const take = Math.min(first.length, remaining);
      this.observer?.(first.subarray(0, take), this.offset);
      if (take === first.length) this.queue.shift();
      else this.queue[0] = first.subarray(take);
      this.queued -= take;
      this.offset += take;
      remaining -= take;
    }
  }
}
