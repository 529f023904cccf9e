import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AppError } from './errors.js';
import { Limiter } from './limiter.js';

/** A promise whose settlement the test controls. */
function deferred<T = void>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** Lets every already-settled promise callback run. */
async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) await Promise.resolve();
}

describe('Limiter', () => {
  it('refuses limits that are not positive integers', () => {
    for (const limit of [0, -1, 1.5, Number.NaN]) expect(() => new Limiter(limit)).toThrow(RangeError);
  });

  it('never runs more than `limit` tasks at once', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 5 }),
        fc.array(fc.nat({ max: 3 }), { minLength: 1, maxLength: 30 }),
        async (limit, ticks) => {
          const limiter = new Limiter(limit);
          let running = 0;
          let peak = 0;
          const results = await Promise.all(
            ticks.map((wait, i) =>
              limiter.run(async () => {
                running++;
                peak = Math.max(peak, running);
                expect(limiter.running).toBeLessThanOrEqual(limit);
                for (let t = 0; t < wait; t++) await Promise.resolve();
                running--;
                return i;
              }),
            ),
          );
          expect(results).toEqual(ticks.map((_, i) => i));
          expect(peak).toBeLessThanOrEqual(limit);
          expect(limiter.running).toBe(0);
          expect(limiter.queued).toBe(0);
        },
      ),
    );
  });

  it('runs up to `limit` tasks at once and queues the rest', async () => {
    const limiter = new Limiter(3);
    const gates = [0, 1, 2, 3, 4].map(() => deferred());
    const started: number[] = [];
    const runs = gates.map((gate, i) =>
      limiter.run(async () => {
        started.push(i);
        await gate.promise;
      }),
    );
    await settle();
    expect(started).toEqual([0, 1, 2]);
    expect(limiter.running).toBe(3);
    expect(limiter.queued).toBe(2);
    gates[1]!.resolve();
    await settle();
    expect(started).toEqual([0, 1, 2, 3]);
    for (const gate of gates) gate.resolve();
    await Promise.all(runs);
    expect(limiter.running).toBe(0);
  });

  it('starts waiting tasks in FIFO order', async () => {
    const limiter = new Limiter(1);
    const gate = deferred();
    const started: number[] = [];
    const first = limiter.run(async () => {
      started.push(0);
      await gate.promise;
    });
    const rest = [1, 2, 3, 4].map((n) => limiter.run(async () => void started.push(n)));
    await settle();
    expect(started).toEqual([0]);
    expect(limiter.queued).toBe(4);
    gate.resolve();
    await Promise.all([first, ...rest]);
    expect(started).toEqual([0, 1, 2, 3, 4]);
  });

  it('removes a waiter whose signal aborts, and rejects it with ABORTED', async () => {
    const limiter = new Limiter(1);
    const gate = deferred();
    const holder = limiter.run(() => gate.promise);
    const controller = new AbortController();
    let ranAborted = false;
    const aborted = limiter.run(async () => {
      ranAborted = true;
    }, controller.signal);
    const next = limiter.run(async () => 'next');
    await settle();
    expect(limiter.queued).toBe(2);

    controller.abort();
    await expect(aborted).rejects.toMatchObject({ code: 'ABORTED' });
    expect(limiter.queued).toBe(1);

    gate.resolve();
    await expect(next).resolves.toBe('next');
    await holder;
    expect(ranAborted).toBe(false);
    expect(limiter.running).toBe(0);
  });

  it('rejects at once when the signal is already aborted, passing an AppError reason through', async () => {
    const limiter = new Limiter(2);
    const reason = new AppError('OCI_TIMEOUT', 'deadline');
    await expect(limiter.acquire(AbortSignal.abort(reason))).rejects.toBe(reason);
    expect(limiter.running).toBe(0);
  });

  it('releases its slot when a task throws', async () => {
    const limiter = new Limiter(1);
    await expect(
      limiter.run(async () => {
        throw new Error('task failed');
      }),
    ).rejects.toThrow('task failed');
    expect(limiter.running).toBe(0);
    await expect(limiter.run(async () => 'after')).resolves.toBe('after');
  });

  it('hands a released slot straight to the next waiter', async () => {
    const limiter = new Limiter(1);
    await limiter.acquire();
    const waiting = limiter.acquire();
    expect(limiter.queued).toBe(1);
    limiter.release();
    await waiting;
    expect(limiter.running).toBe(1);
    expect(limiter.queued).toBe(0);
    limiter.release();
    expect(limiter.running).toBe(0);
  });

  it('forgets the abort listener of a waiter that got its slot', async () => {
    const limiter = new Limiter(1);
    await limiter.acquire();
    const controller = new AbortController();
    const waiting = limiter.acquire(controller.signal);
    limiter.release();
    await waiting;
    controller.abort();
    expect(limiter.running).toBe(1);
    expect(limiter.queued).toBe(0);
  });
});
