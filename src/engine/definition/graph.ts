/**
 * Dependency graphs of steps: `dependencies.get(id)` lists what `id` waits for. Orders are
 * deterministic: among steps that are ready together, file order decides.
 */

/** A cycle as the ids along it, each needing the next, the first repeated at the end (`a → b → a`); undefined when acyclic. */
export function findCycle(
  ids: readonly string[],
  dependencies: ReadonlyMap<string, readonly string[]>,
): string[] | undefined {
  const state = new Map<string, 'visiting' | 'done'>();
  const stack: string[] = [];
  const visit = (id: string): string[] | undefined => {
    if (state.get(id) === 'done') return undefined;
    if (state.get(id) === 'visiting') return [...stack.slice(stack.indexOf(id)), id];
    state.set(id, 'visiting');
    stack.push(id);
    for (const dependency of dependencies.get(id) ?? []) {
      if (!dependencies.has(dependency)) continue;
      const cycle = visit(dependency);
      if (cycle !== undefined) return cycle;
    }
    stack.pop();
    state.set(id, 'done');
    return undefined;
  };
  for (const id of ids) {
    const cycle = visit(id);
    if (cycle !== undefined) return cycle;
  }
  return undefined;
}

/**
 * Kahn's algorithm, taking the ready step that comes first in the file each time, so that a
 * workflow without `needs` runs (and lists) in file order. Assumes the graph is acyclic.
 */
export function topologicalOrder(
  ids: readonly string[],
  dependencies: ReadonlyMap<string, readonly string[]>,
): string[] {
  const position = new Map(ids.map((id, index) => [id, index]));
  const waitingOn = new Map(
    ids.map((id) => [id, new Set((dependencies.get(id) ?? []).filter((d) => position.has(d)))]),
  );
  const dependents = new Map<string, string[]>(ids.map((id) => [id, []]));
  for (const [id, waits] of waitingOn) for (const dependency of waits) dependents.get(dependency)!.push(id);
  const ready = ids.filter((id) => waitingOn.get(id)!.size === 0);
  const order: string[] = [];
  while (ready.length > 0) {
    ready.sort((a, b) => position.get(a)! - position.get(b)!);
    const next = ready.shift()!;
    order.push(next);
    for (const dependent of dependents.get(next)!) {
      const waits = waitingOn.get(dependent)!;
      waits.delete(next);
      if (waits.size === 0) ready.push(dependent);
    }
  }
  return order;
}
