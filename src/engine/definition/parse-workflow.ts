import { AppError } from '../../kernel/index.js';
import { checkExpressions } from './check-expressions.js';
import { checkInputs } from './check-inputs.js';
import { checkSteps, type KnownActions } from './check-steps.js';
import { toDefinition } from './normalize.js';
import { definitionError, ProblemList } from './problems.js';
import { isRecord, rawField } from './raw-document.js';
import { workflowDocumentSchema } from './schema.js';
import type { WorkflowDefinition } from './types.js';
import { loadYaml, type YamlSource } from './yaml-source.js';
import { GENERIC_MESSAGE, reportIssues } from './zod-issues.js';
import { durationProblem, parseDuration } from './duration.js';

export interface ParseWorkflowOptions {
  /** File name for messages (`mirror.yaml:12:5: …`). */
  file?: string;
  /** The actions that exist: a predicate, or `name@version` strings (which also give suggestions). */
  knownActions?: KnownActions;
}

/**
 * Reads a workflow file into a validated definition. Every problem is reported at once, each
 * with its path, line and column, in one AppError `ENGINE_DEFINITION_INVALID` whose
 * `details.problems` are `DefinitionProblem`s.
 */
export function parseWorkflow(source: string, options: ParseWorkflowOptions = {}): WorkflowDefinition {
  const yaml = loadYaml(source);
  if (yaml.problems.length > 0) throw definitionError(yaml.problems, options.file);
  const problems = new ProblemList((path) => yaml.positionOf(path));
  const document = yaml.value;
  if (!isRecord(document)) {
    problems.add(
      [],
      document === null || document === undefined ? EMPTY_MESSAGE : `expected a mapping; ${EMPTY_MESSAGE}`,
    );
    throw definitionError(problems.items, options.file);
  }
  const parsed = workflowDocumentSchema.safeParse(document, { error: () => GENERIC_MESSAGE });
  if (!parsed.success)
    reportIssues(parsed.error.issues, {
      value: document,
      schema: workflowDocumentSchema,
      source: yaml,
      problems,
    });
  checkSteps(document, yaml, problems, options.knownActions);
  checkExpressions(document, yaml, problems);
  checkInputs(document, problems);
  checkTriggersPresent(document, problems);
  checkRetryBounds(document, problems);
  checkProtoKeys(document, [], problems, yaml);
  if (problems.size > 0 || !parsed.success) throw definitionError(problems.items, options.file);
  return toDefinition(parsed.data, (path) => yaml.positionOf(path));
}

/** Whether `error` is a definition error from parseWorkflow (its details hold the problems). */
export function isDefinitionError(error: unknown): error is AppError {
  return error instanceof AppError && error.code === 'ENGINE_DEFINITION_INVALID';
}

const EMPTY_MESSAGE = 'a workflow starts with apiVersion: airlock.dev/v1, kind: Workflow, name and steps';

function checkTriggersPresent(document: unknown, problems: ProblemList): void {
  const on = rawField(document, ['on']);
  if (isRecord(on) && Object.keys(on).length === 0) {
    problems.add(
      ['on'],
      'no trigger: add manual, schedule, registry or workflow (or remove on for manual starts)',
    );
  }
}

/** `__proto__` as a key would be dropped by validation (and is a prototype-pollution vector): refuse it. */
function checkProtoKeys(
  value: unknown,
  path: (string | number)[],
  problems: ProblemList,
  source: YamlSource,
): void {
  if (Array.isArray(value))
    value.forEach((item, index) => checkProtoKeys(item, [...path, index], problems, source));
  if (!isRecord(value)) return;
  for (const [key, item] of Object.entries(value)) {
    const at = [...path, key];
    if (key === '__proto__') problems.add(at, 'the key __proto__ is not allowed', source.keyPositionOf(at));
    else checkProtoKeys(item, at, problems, source);
  }
}

function checkRetryBounds(document: unknown, problems: ProblemList): void {
  const steps = rawField(document, ['steps']);
  if (!Array.isArray(steps)) return;
  steps.forEach((_, index) => {
    const initial = rawField(document, ['steps', index, 'retry', 'initial']) ?? '5s';
    const max = rawField(document, ['steps', index, 'retry', 'max']);
    if (typeof initial !== 'string' || typeof max !== 'string') return;
    if (durationProblem(initial) !== undefined || durationProblem(max) !== undefined) return;
    if (parseDuration(max)! < parseDuration(initial)!) {
      problems.add(['steps', index, 'retry', 'max'], `max (${max}) is shorter than initial (${initial})`);
    }
  });
}
