import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiFixture, MIRROR_WORKFLOW, bearer, startApiFixture } from './support.js';

let f: ApiFixture;
let base: string;
beforeAll(async () => {
  f = await startApiFixture({ heartbeatMs: 50 });
  await f.engine.applyWorkflow(MIRROR_WORKFLOW, { actor: { subject: 'user:admin', roles: ['admin'] } });
  base = await f.app.listen({ host: '127.0.0.1', port: 0 });
});
afterAll(async () => f?.close());

interface SseEvent {
  id?: string;
  event?: string;
  data?: string;
  comment?: string;
}

/** Reads an event stream as a client would, block by block. */
async function* events(body: ReadableStream<Uint8Array>): AsyncGenerator<SseEvent> {
  const decoder = new TextDecoder();
  let buffer = '';
  for await (const chunk of body) {
    buffer += decoder.decode(chunk, { stream: true });
    let end: number;
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const event: SseEvent = {};
      for (const line of block.split('\n')) {
        if (line.startsWith(':')) event.comment = line.slice(1).trim();
        const match = /^(id|event|data): (.*)$/.exec(line);
        if (match) event[match[1] as 'id' | 'event' | 'data'] = match[2];
      }
      yield event;
    }
  }
}

async function open(runId: string, headers: Record<string, string> = {}, query = '') {
  const controller = new AbortController();
  const response = await fetch(`${base}/api/runs/${runId}/logs/stream${query}`, {
    headers: { ...bearer(f.secrets.viewer), ...headers },
    signal: controller.signal,
  });
  return { response, controller, stream: response.body ? events(response.body) : undefined };
}

async function next(stream: AsyncGenerator<SseEvent>, skipComments = true): Promise<SseEvent> {
  for (;;) {
    const { value, done } = await stream.next();
    if (done) throw new Error('stream ended');
    if (skipComments && value.comment !== undefined && value.event === undefined) continue;
    return value;
  }
}

async function newRun() {
  return (await f.engine.startRun('mirror', { actor: { subject: 'user:t', roles: ['operator'] } })).id;
}

describe('live logs over Server-Sent Events', () => {
  it('sends existing and new lines as they are written, then the end, and closes', async () => {
    const runId = await newRun();
    f.engine.log(runId, 'queued');
    const { response, stream } = await open(runId);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    expect(response.headers.get('cache-control')).toContain('no-cache');
    const retry = await stream!.next();
    expect(retry.value).toEqual({});
    expect(await next(stream!)).toMatchObject({ id: '1', event: 'log' });

    f.engine.beginStep(runId, 'tags');
    f.engine.log(runId, 'listing', { stepId: 'tags', level: 'debug' });
    const live = await next(stream!);
    expect(live.id).toBe('2');
    expect(JSON.parse(live.data!)).toMatchObject({
      seq: 2,
      stepId: 'tags',
      level: 'debug',
      message: 'listing',
    });

    f.engine.failStep(runId, 'tags', { code: 'ENGINE_ACTION_FAILED', message: 'registry said 500' });
    const end = await next(stream!);
    expect(end.event).toBe('end');
    expect(JSON.parse(end.data!)).toEqual({
      status: 'failed',
      error: { code: 'ENGINE_ACTION_FAILED', message: 'registry said 500', step: 'tags' },
    });
    expect((await stream!.next()).done).toBe(true);
  });

  it('resumes after Last-Event-ID, or ?after=', async () => {
    const runId = await newRun();
    for (const message of ['one', 'two', 'three', 'four']) f.engine.log(runId, message);
    f.engine.completeRun(runId);
    const resumed = await open(runId, { 'last-event-id': '2' });
    const seen: string[] = [];
    for await (const event of resumed.stream!) if (event.event) seen.push(`${event.event}:${event.id ?? ''}`);
    expect(seen).toEqual(['log:3', 'log:4', 'end:']);
    const after = await open(runId, {}, '?after=3');
    const ids: (string | undefined)[] = [];
    for await (const event of after.stream!) if (event.event === 'log') ids.push(event.id);
    expect(ids).toEqual(['4']);
    const bad = await open(runId, { 'last-event-id': 'yesterday' });
    expect(bad.response.status).toBe(400);
    await bad.response.body?.cancel();
  });

  it('keeps an idle stream alive with comments', async () => {
    const runId = await newRun();
    const { stream, controller } = await open(runId);
    await stream!.next();
    expect(await next(stream!, false)).toEqual({ comment: 'keep-alive' });
    controller.abort();
  });

  it('answers problems, not streams, for unknown runs and missing tokens', async () => {
    const unknown = await open('nope');
    expect(unknown.response.status).toBe(404);
    expect(unknown.response.headers.get('content-type')).toContain('application/problem+json');
    await unknown.response.body?.cancel();
    const anonymous = await fetch(`${base}/api/runs/${await newRun()}/logs/stream`);
    expect(anonymous.status).toBe(401);
    await anonymous.body?.cancel();
  });

  it('stops following when the client goes away', async () => {
    const runId = await newRun();
    const { stream, controller } = await open(runId);
    await stream!.next();
    const listeners = () =>
      (f.engine as unknown as { runs: Map<string, { listeners: Set<unknown> }> }).runs.get(runId)!.listeners
        .size;
    await expect.poll(listeners).toBe(1);
    controller.abort();
    f.engine.log(runId, 'nobody listens');
    await expect.poll(listeners).toBe(0);
  });

  it('ends open streams when the server closes', async () => {
    const other = await startApiFixture({ heartbeatMs: 60_000 });
    try {
      await other.engine.applyWorkflow(MIRROR_WORKFLOW, {
        actor: { subject: 'user:admin', roles: ['admin'] },
      });
      const runId = (await other.engine.startRun('mirror', { actor: { subject: 'u:t', roles: [] } })).id;
      const url = await other.app.listen({ host: '127.0.0.1', port: 0 });
      const response = await fetch(`${url}/api/runs/${runId}/logs/stream`, {
        headers: bearer(other.secrets.viewer),
      });
      const stream = events(response.body!);
      await stream.next();
      const closed = other.app.close();
      for await (const _event of stream) {
        // drain until the server ends the stream
      }
      await closed;
    } finally {
      await other.close().catch(() => undefined);
    }
  });
});
