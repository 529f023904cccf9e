export type {
  ExpressionScope,
  InputDefinition,
  InputType,
  RetryPolicyDefinition,
  SourcePosition,
  StepDefinition,
  TemplatedValue,
  TriggerDefinition,
  WorkflowDefinition,
} from './types.js';
export { parseWorkflow, isDefinitionError, type ParseWorkflowOptions } from './parse-workflow.js';
export type { KnownActions } from './check-steps.js';
export { formatWorkflow } from './format.js';
export { workflowJsonSchema, WORKFLOW_SCHEMA_ID } from './json-schema.js';
export { workflowDocumentSchema, type WorkflowDocument } from './schema.js';
export { compileDag, stepReferences, type DagNode, type WorkflowDag } from './dag.js';
export { resolveInputs } from './inputs.js';
export { formatProblem } from './problems.js';
export { parseDuration, formatDuration } from './duration.js';
export { cronProblems, normalizeCron } from './cron.js';
export { matchesGlob } from './glob.js';
export { compileExpression, SCOPE_ROOTS, type CompiledExpression } from './expression/compile.js';
export {
  evaluateTemplate,
  evaluateCondition,
  evaluateExpression,
  evaluateItems,
  interpolate,
} from './expression/evaluate.js';
export {
  referencedSteps,
  secretsReferenced,
  secretValuesUsed,
  type SecretReferences,
} from './expression/references.js';
export { ExpressionError } from './expression/expression-error.js';
export { EXPRESSION_LIMITS } from './expression/limits.js';
export type { NameReference } from './expression/cel-ast.js';
