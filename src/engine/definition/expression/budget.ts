import { EXPRESSION_LIMITS } from './limits.js';

/**
 * The cost bound of an evaluation. The CEL library has no cost limit of its own, so every
 * comprehension's loop condition is wrapped (see `instrumentLoops`) in a call that counts
 * iterations and checks the clock. Evaluation is synchronous, so one budget is active at a time.
 */
export class EvaluationBudget {
  private iterations = 0;
  private readonly deadline: number;
  /** Why the budget ran out, once it has. */
  exceeded: string | undefined;

  constructor(
    private readonly maxIterations: number = EXPRESSION_LIMITS.maxIterations,
    private readonly maxMs: number = EXPRESSION_LIMITS.maxEvaluationMs,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.deadline = now() + maxMs;
  }

  /** Counts one loop iteration; throws once the budget is spent (the library turns it into a CEL error). */
  tick(): void {
    if (this.exceeded === undefined) {
      this.iterations += 1;
      if (this.iterations > this.maxIterations) {
        this.exceeded = `more than ${this.maxIterations} loop iterations (exists, all, map, filter over large lists)`;
      } else if (this.now() > this.deadline) {
        this.exceeded = `took longer than ${this.maxMs} ms`;
      }
    }
    if (this.exceeded !== undefined) throw new Error(`evaluation budget exceeded: ${this.exceeded}`);
  }
}

let active: EvaluationBudget | undefined;

/** Runs `evaluate` with `budget` receiving the ticks of its loops. */
export function withBudget<T>(budget: EvaluationBudget, evaluate: () => T): T {
  const previous = active;
  active = budget;
  try {
    return evaluate();
  } finally {
    active = previous;
  }
}

/** The implementation of the tick function the instrumented AST calls. */
export function tickActiveBudget(condition: unknown): unknown {
  active?.tick();
  return condition;
}
