import { describe, expect, it } from 'vitest';
import { ChunkChannel } from './chunk-channel.js';

const chunk = (text: string) => Buffer.from(text);

describe('ChunkChannel', () => {
  it('hands chunks over in order and ends', async () => {
    const channel = new ChunkChannel();
    const read = (async () => {
      const seen: string[] = [];
      for await (const c of channel) seen.push(c.toString());
      return seen;
    })();
    for (const text of ['a', 'b', 'c']) await channel.offer(chunk(text));
    channel.end();
    expect(await read).toEqual(['a', 'b', 'c']);
  });

  it('makes the producer wait while the consumer is behind', async () => {
    const channel = new ChunkChannel();
    expect(channel.offer(chunk('1'))).toBeUndefined();
    const waiting = channel.offer(chunk('2'));
    expect(waiting).toBeInstanceOf(Promise);
    let released = false;
    void waiting!.then(() => (released = true));
    await Promise.resolve();
    expect(released).toBe(false);
    expect((await channel.next()).value?.toString()).toBe('1');
    await waiting;
    expect(released).toBe(true);
  });

  it('drops chunks and releases the producer once the consumer detaches', async () => {
    const channel = new ChunkChannel();
    channel.offer(chunk('1'));
    const waiting = channel.offer(chunk('2'));
    await channel.return();
    await waiting;
    expect(channel.offer(chunk('3'))).toBeUndefined();
    expect(await channel.next()).toEqual({ value: undefined, done: true });
  });

  it("rejects the consumer with the producer's failure", async () => {
    const channel = new ChunkChannel();
    const pending = channel.next();
    channel.fail(new Error('layer truncated'));
    await expect(pending).rejects.toThrow('layer truncated');
    await expect(channel.next()).rejects.toThrow('layer truncated');
  });
});
