import type { parse } from '@bufbuild/cel';

/**
 * Walks of the parsed CEL AST (cel-spec `syntax.proto`: macros such as `exists` are already
 * expanded into comprehensions): size and depth for the limits, the names an expression
 * reads (`steps.tags.outputs`) for validation and `needs` inference, and instrumentation of
 * comprehension loops for the evaluation budget.
 */

export type ParsedExpression = ReturnType<typeof parse>;
export type Expr = ParsedExpression['expr'];

/** A chain of static member accesses from a free variable: `steps.tags.outputs.tags` → steps, [tags, outputs, tags]. */
export interface NameReference {
  root: string;
  /** Field names and string-literal indexes after the root, up to the first dynamic access. */
  path: string[];
  /** Offset of the root identifier in the expression text. */
  offset: number;
}

export interface AstShape {
  nodes: number;
  depth: number;
}

export function astShape(expr: Expr): AstShape {
  let nodes = 0;
  let depth = 0;
  const visit = (node: Expr, level: number) => {
    nodes += 1;
    depth = Math.max(depth, level);
    for (const child of childrenOf(node)) visit(child, level + 1);
  };
  visit(expr, 1);
  return { nodes, depth };
}

function childrenOf(node: Expr): Expr[] {
  const kind = node.exprKind;
  switch (kind.case) {
    case 'selectExpr':
      return present([kind.value.operand]);
    case 'callExpr':
      return present([kind.value.target, ...kind.value.args]);
    case 'listExpr':
      return kind.value.elements;
    case 'structExpr':
      return present(
        kind.value.entries.flatMap((entry) => [
          entry.keyKind.case === 'mapKey' ? entry.keyKind.value : undefined,
          entry.value,
        ]),
      );
    case 'comprehensionExpr': {
      const c = kind.value;
      return present([c.iterRange, c.accuInit, c.loopCondition, c.loopStep, c.result]);
    }
    default:
      return [];
  }
}

function present(nodes: (Expr | undefined)[]): Expr[] {
  return nodes.filter((node): node is Expr => node !== undefined);
}

/** Every free-variable access of the expression (variables bound by macros are not free). */
export function nameReferences(parsed: ParsedExpression): NameReference[] {
  const positions = parsed.sourceInfo?.positions ?? {};
  const offsetOf = (node: Expr) => positions[String(node.id)] ?? 0;
  const found: NameReference[] = [];
  const visit = (node: Expr, bound: ReadonlySet<string>): void => {
    const chain = staticChain(node, bound);
    if (chain !== undefined) {
      found.push({ root: chain.root, path: chain.path, offset: offsetOf(chain.rootNode) });
      return;
    }
    const kind = node.exprKind;
    if (kind.case === 'comprehensionExpr') {
      const c = kind.value;
      const inLoop = new Set([...bound, c.iterVar, c.iterVar2, c.accuVar].filter((name) => name !== ''));
      const inResult = new Set([...bound, c.accuVar]);
      for (const child of present([c.iterRange, c.accuInit])) visit(child, bound);
      for (const child of present([c.loopCondition, c.loopStep])) visit(child, inLoop);
      if (c.result) visit(c.result, inResult);
      return;
    }
    for (const child of childrenOf(node)) visit(child, bound);
  };
  visit(parsed.expr, new Set());
  return found;
}

interface Chain {
  root: string;
  rootNode: Expr;
  path: string[];
}

/** `a.b["c"]` from a free identifier `a`, or undefined when `node` is something else. */
function staticChain(node: Expr, bound: ReadonlySet<string>): Chain | undefined {
  const kind = node.exprKind;
  if (kind.case === 'identExpr') {
    return bound.has(kind.value.name) ? undefined : { root: kind.value.name, rootNode: node, path: [] };
  }
  if (kind.case === 'selectExpr' && kind.value.operand) {
    const inner = staticChain(kind.value.operand, bound);
    return inner && { ...inner, path: [...inner.path, kind.value.field] };
  }
  if (kind.case === 'callExpr' && kind.value.function === '_[_]' && kind.value.args.length === 2) {
    const [operand, index] = kind.value.args as [Expr, Expr];
    const key = index.exprKind.case === 'constExpr' ? index.exprKind.value.constantKind : undefined;
    if (key?.case !== 'stringValue') return undefined;
    const inner = staticChain(operand, bound);
    return inner && { ...inner, path: [...inner.path, key.value] };
  }
  return undefined;
}

/** The functions the expression calls (macros excluded: they are comprehensions now). */
export function calledFunctions(expr: Expr): { name: string; id: bigint; qualified?: string }[] {
  const calls: { name: string; id: bigint; qualified?: string }[] = [];
  const visit = (node: Expr) => {
    if (node.exprKind.case === 'callExpr') {
      const call = node.exprKind.value;
      const chain = call.target && staticChain(call.target, new Set());
      const qualified = chain ? [chain.root, ...chain.path, call.function].join('.') : undefined;
      calls.push({ name: call.function, id: node.id, ...(qualified === undefined ? {} : { qualified }) });
    }
    for (const child of childrenOf(node)) visit(child);
  };
  visit(expr);
  return calls;
}

/**
 * Wraps the loop condition of every comprehension in a call of `tick`, so that each iteration
 * of `exists`, `all`, `map`, `filter` passes through the evaluation budget.
 */
export function instrumentLoops(expr: Expr, tick: string): void {
  let nextId = maxId(expr) + 1n;
  const visit = (node: Expr) => {
    for (const child of childrenOf(node)) visit(child);
    if (node.exprKind.case !== 'comprehensionExpr') return;
    const loop = node.exprKind.value;
    if (loop.loopCondition === undefined) return;
    loop.loopCondition = {
      $typeName: 'cel.expr.Expr',
      id: nextId++,
      exprKind: {
        case: 'callExpr',
        value: { $typeName: 'cel.expr.Expr.Call', function: tick, args: [loop.loopCondition] },
      },
    } as Expr;
  };
  visit(expr);
}

function maxId(expr: Expr): bigint {
  let max = expr.id;
  for (const child of childrenOf(expr)) {
    const id = maxId(child);
    if (id > max) max = id;
  }
  return max;
}
