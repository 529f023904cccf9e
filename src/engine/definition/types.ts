/**
 * A workflow as the engine runs it: parsed from YAML (`apiVersion: airlock.dev/v1`,
 * `kind: Workflow`), validated, with expressions kept as source text to evaluate at run time.
 * Stored versions are immutable; a run records the exact version it ran.
 */

/** `${{ … }}` template text, or a plain value with templates inside its strings. */
export type TemplatedValue =
  string | number | boolean | null | TemplatedValue[] | { [key: string]: TemplatedValue };

/** Where in the source file something was written, for precise error messages. */
export interface SourcePosition {
  line: number;
  column: number;
}

export type InputType = 'string' | 'number' | 'boolean' | 'object' | 'array';

export interface InputDefinition {
  type: InputType;
  description?: string;
  default?: TemplatedValue;
  required?: boolean;
  /** For strings: allowed values. */
  enum?: (string | number)[];
}

export interface RetryPolicyDefinition {
  /** Total attempts, including the first. */
  attempts: number;
  backoff: 'fixed' | 'exponential';
  /** First delay, milliseconds. */
  initialMs: number;
  /** Longest delay, milliseconds. */
  maxMs?: number;
}

export interface StepDefinition {
  id: string;
  name?: string;
  /** `<action>@<version>`, e.g. `oci/copy@v1`, `approval@v1`, `exec@v1`. */
  uses: string;
  with: Record<string, TemplatedValue>;
  /** CEL condition (without `${{ }}`), evaluated before the step; false → skipped. */
  if?: string;
  /** Steps that must finish first; steps without `needs` and without references run in parallel. */
  needs: string[];
  /** CEL expression yielding a list; the step runs once per item (`item`, `index` in expressions). */
  forEach?: string;
  maxParallel?: number;
  retry?: RetryPolicyDefinition;
  /** Milliseconds per attempt. */
  timeoutMs?: number;
  continueOnError: boolean;
  /** Environment for `exec` actions and `env` in expressions. */
  env: Record<string, TemplatedValue>;
  position?: SourcePosition;
}

export type TriggerDefinition =
  | { type: 'manual' }
  | { type: 'schedule'; cron: string; timezone: string; inputs?: Record<string, TemplatedValue> }
  | { type: 'registry'; event: 'push' | 'delete'; repository: string; tag?: string }
  | { type: 'workflow'; event: 'completed'; workflows: string[]; conclusion?: 'success' | 'failure' | 'any' };

export interface WorkflowDefinition {
  apiVersion: 'airlock.dev/v1';
  kind: 'Workflow';
  name: string;
  description?: string;
  inputs: Record<string, InputDefinition>;
  on: TriggerDefinition[];
  env: Record<string, TemplatedValue>;
  /** Steps in file order; `needs` (explicit and inferred from `steps.<id>` references) makes the DAG. */
  steps: StepDefinition[];
  /** Run outputs: name → template over `steps.*.outputs`. */
  outputs: Record<string, TemplatedValue>;
  /** Default step time-out, milliseconds. */
  timeoutMs?: number;
}

/** What an expression sees (`${{ inputs.x }}`, `steps.tags.outputs.tags`, `item`, …). */
export interface ExpressionScope {
  inputs: Record<string, unknown>;
  steps: Record<string, { outputs: Record<string, unknown>; status: string; conclusion?: string }>;
  env: Record<string, string>;
  /** Secret values, resolved only where used and never logged. */
  secrets: Record<string, string>;
  run: { id: string; workflow: string; version: number; startedAt: string; attempt: number };
  trigger: { type: string; event: unknown };
  item?: unknown;
  index?: number;
}
