import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readEvents } from './sse-reader.js';

async function collect(chunks: string[]) {
  const out = [];
  for await (const event of readEvents(
    (async function* () {
      for (const chunk of chunks) yield new TextEncoder().encode(chunk);
    })(),
  ))
    out.push(event);
  return out;
}

const STREAM =
  'retry: 2000\n\n: keep-alive\n\nid: 1\nevent: log\ndata: {"seq":1}\n\r\nid: 2\r\nevent: log\r\ndata: a\r\ndata: b\r\n\r\nevent: end\ndata:{"status":"succeeded"}\n\n';

describe('readEvents', () => {
  it('reads events, joins data lines, skips comments and field-less blocks, accepts CR LF', async () => {
    expect(await collect([STREAM])).toEqual([
      { event: 'log', data: '{"seq":1}', id: '1' },
      { event: 'log', data: 'a\nb', id: '2' },
      { event: 'end', data: '{"status":"succeeded"}', id: '2' },
    ]);
  });

  it('gives the same events however the stream is split into chunks', async () => {
    const whole = await collect([STREAM]);
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.integer({ min: 1, max: STREAM.length - 1 }), { maxLength: 12 }),
        async (cuts) => {
          const points = [...new Set(cuts)].sort((a, b) => a - b);
          const chunks = [0, ...points].map((start, i) => STREAM.slice(start, points[i] ?? STREAM.length));
          expect(await collect(chunks)).toEqual(whole);
        },
      ),
    );
  });

  it('names events without an event field "message" and drops an unterminated last block', async () => {
    expect(await collect(['data: x\n\ndata: cut off'])).toEqual([{ event: 'message', data: 'x' }]);
  });
});
