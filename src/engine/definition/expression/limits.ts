/**
 * Bounds on expressions. CEL is not Turing-complete, but a comprehension over a large list
 * nested in another is quadratic, and the parser is recursive; these keep every evaluation
 * small enough to run inline in the engine's step dispatch.
 */
export const EXPRESSION_LIMITS = {
  /** Characters of one expression: a template is a line or two; more belongs in an action. */
  maxLength: 4096,
  /** Bracket nesting, checked before parsing (the parser recurses per level). */
  maxNesting: 32,
  /** AST nodes after macro expansion. */
  maxNodes: 2048,
  /** AST depth after macro expansion (planning and evaluation recurse per level). */
  maxDepth: 100,
  /** Loop iterations of `exists`/`all`/`map`/`filter` per evaluation, nested loops multiplied. */
  maxIterations: 100_000,
  /** Wall-clock time of one evaluation, checked at every loop iteration. */
  maxEvaluationMs: 100,
  /** Values (list items, map entries, scalars) of the scope an expression reads. */
  maxScopeValues: 1_000_000,
  /** Nesting of scope values. */
  maxValueDepth: 64,
} as const;

export type ExpressionLimits = { -readonly [K in keyof typeof EXPRESSION_LIMITS]: number };
