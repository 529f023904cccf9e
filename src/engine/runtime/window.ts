import type { ChildCall, ChildHandle, DurableContext } from './durable.js';

/**
 * Runs durable children with at most `maxParallel` at once, starting them in list order and
 * the next one whenever one finishes. Which finished first is recorded by `waitFirst`, so a
 * replay after a crash starts and waits in exactly the same order.
 */
export async function runChildren<T>(
  ctx: DurableContext,
  calls: ChildCall[],
  maxParallel: number,
  options: {
    queue?: string;
    onResult?: (call: ChildCall, result: T) => Promise<boolean | void> | boolean | void;
  } = {},
): Promise<Map<string, T>> {
  const results = new Map<string, T>();
  const running = new Map<string, { handle: ChildHandle; call: ChildCall }>();
  let next = 0;
  let stop = false;
  while ((!stop && next < calls.length) || running.size > 0) {
    while (!stop && next < calls.length && running.size < maxParallel) {
      const call = calls[next++]!;
      const handle = await ctx.startChild(call, options.queue ? { queue: options.queue } : {});
      running.set(handle.id, { handle, call });
    }
    const done = await ctx.waitFirst([...running.values()].map((r) => r.handle));
    const entry = running.get(done.id)!;
    running.delete(done.id);
    const result = await ctx.result<T>(done);
    results.set(entry.call.id, result);
    if ((await options.onResult?.(entry.call, result)) === false) stop = true;
  }
  return results;
}
