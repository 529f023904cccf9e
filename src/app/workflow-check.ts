import { builtinActions } from '../actions/index.js';
import { type WorkflowDefinition, parseWorkflow } from '../engine/definition/index.js';

/** `approval@v1` is the engine's own step kind; the rest are the built-in actions. */
export function knownActionNames(): string[] {
  return ['approval@v1', ...builtinActions().map((action) => `${action.name}@${action.version}`)];
}

/**
 * Validates a workflow file offline, exactly as a server would before storing it: schema,
 * expressions, the DAG, triggers and the built-in action names. Throws the definition error
 * (every problem with file, line and column); returns the definition when it is valid.
 */
export function checkWorkflowSource(source: string, file: string): WorkflowDefinition {
  return parseWorkflow(source, { file, knownActions: knownActionNames() });
}
