import { describe, expect, it } from 'vitest';
import { AppError } from '../../../kernel/index.js';
import { LookupCache } from './lookup-cache.js';

/** A lookup the test settles by hand, recording the signal it was given. */
function controllable<V>() {
  const calls: { signal: AbortSignal; resolve: (v: V) => void; reject: (e: unknown) => void }[] = [];
  const lookup = (signal: AbortSignal) =>
    new Promise<V>((resolve, reject) => {
      calls.push({ signal, resolve, reject });
    });
  return { calls, lookup };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('LookupCache', () => {
  it('shares a lookup in flight and remembers its value', async () => {
    const cache = new LookupCache<string>();
    const { calls, lookup } = controllable<string>();
    const first = cache.get('k', lookup);
    const second = cache.get('k', lookup);
    await tick();
    expect(calls).toHaveLength(1);
    calls[0]!.resolve('v');
    expect(await Promise.all([first, second])).toEqual(['v', 'v']);
    expect(await cache.get('k', lookup)).toBe('v');
    expect(calls).toHaveLength(1);
  });

  it('does not remember failures', async () => {
    const cache = new LookupCache<string>();
    const { calls, lookup } = controllable<string>();
    const failing = cache.get('k', lookup);
    await tick();
    calls[0]!.reject(new AppError('INTERNAL', 'boom'));
    await expect(failing).rejects.toThrow('boom');
    const retry = cache.get('k', lookup);
    await tick();
    calls[1]!.resolve('v');
    expect(await retry).toBe('v');
  });

  it('lets one caller abort without cancelling the lookup others wait for', async () => {
    const cache = new LookupCache<string>();
    const { calls, lookup } = controllable<string>();
    const controller = new AbortController();
    const leaving = cache.get('k', lookup, controller.signal);
    const staying = cache.get('k', lookup);
    await tick();
    controller.abort();
    await expect(leaving).rejects.toMatchObject({ code: 'ABORTED' });
    expect(calls[0]!.signal.aborted).toBe(false);
    calls[0]!.resolve('v');
    expect(await staying).toBe('v');
  });

  it('cancels the lookup when every caller has gone, and starts afresh next time', async () => {
    const cache = new LookupCache<string>();
    const { calls, lookup } = controllable<string>();
    const a = new AbortController();
    const b = new AbortController();
    const first = cache.get('k', lookup, a.signal);
    const second = cache.get('k', lookup, b.signal);
    await tick();
    a.abort();
    b.abort();
    await expect(first).rejects.toMatchObject({ code: 'ABORTED' });
    await expect(second).rejects.toMatchObject({ code: 'ABORTED' });
    expect(calls[0]!.signal.aborted).toBe(true);
    const again = cache.get('k', lookup);
    await tick();
    expect(calls).toHaveLength(2);
    calls[1]!.resolve('fresh');
    expect(await again).toBe('fresh');
  });
});
