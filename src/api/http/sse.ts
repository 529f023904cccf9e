import type { ServerResponse } from 'node:http';
import { once } from 'node:events';

/**
 * A Server-Sent Events stream (HTML Living Standard, "Server-sent events"): one event per
 * record, `id` set so that a reconnecting client resumes with `Last-Event-ID`, and comment lines
 * as keep-alives so that proxies do not close an idle stream.
 */
export class SseStream {
  constructor(private readonly response: ServerResponse) {}

  /** Sends the headers; `retryMs` tells clients how long to wait before reconnecting. */
  open(headers: Record<string, string>, retryMs: number): void {
    this.response.writeHead(200, {
      ...headers,
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      // nginx buffers responses by default; a buffered event stream is no stream.
      'x-accel-buffering': 'no',
    });
    this.response.write(`retry: ${retryMs}\n\n`);
  }

  /** Writes one event, waiting while the client is slower than the producer. */
  async send(event: string, data: unknown, id?: number | string): Promise<void> {
    const lines = id === undefined ? [] : [`id: ${id}`];
    lines.push(`event: ${event}`);
    // JSON has no raw newlines, so the data is one `data:` line.
    lines.push(`data: ${JSON.stringify(data)}`);
    await this.write(`${lines.join('\n')}\n\n`);
  }

  async comment(text: string): Promise<void> {
    await this.write(`: ${text}\n\n`);
  }

  end(): void {
    if (!this.response.writableEnded) this.response.end();
  }

  get closed(): boolean {
    return this.response.destroyed || this.response.writableEnded;
  }

  private async write(chunk: string): Promise<void> {
    if (this.closed) return;
    if (!this.response.write(chunk))
      await Promise.race([once(this.response, 'drain'), once(this.response, 'close')]);
  }
}
