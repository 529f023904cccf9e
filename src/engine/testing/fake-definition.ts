import { ProblemList, definitionError } from '../definition/problems.js';
import type {
  InputDefinition,
  StepDefinition,
  TemplatedValue,
  TriggerDefinition,
  WorkflowDefinition,
} from '../definition/types.js';
import { loadYaml } from '../definition/yaml-source.js';

type Doc = Record<string, unknown>;

const NAME = /^[a-z0-9](?:[a-z0-9._-]{0,62}[a-z0-9])?$/;
const STEP_ID = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;
const USES = /^[a-z0-9][a-z0-9/._-]*@[A-Za-z0-9][A-Za-z0-9._-]*$/;
const INPUT_TYPES = new Set(['string', 'number', 'boolean', 'object', 'array']);

/**
 * A small stand-in for the engine's compiler, for the fake engine: it reads the YAML, checks the
 * fields the API's tests depend on (apiVersion, kind, name, inputs, steps, triggers) and reports
 * problems with their positions exactly as the engine does (`ENGINE_DEFINITION_INVALID` with
 * `details.problems`). It does not validate expressions, actions' inputs or the DAG.
 */
export function compileFakeWorkflow(source: string, file?: string): WorkflowDefinition {
  const yaml = loadYaml(source);
  if (yaml.problems.length > 0) throw definitionError(yaml.problems, file);
  const problems = new ProblemList((path) => yaml.positionOf(path));
  const doc = isObject(yaml.value) ? yaml.value : {};
  if (!isObject(yaml.value)) problems.add([], 'a workflow is a mapping (apiVersion, kind, name, steps)');
  if (doc.apiVersion !== 'airlock.dev/v1') problems.add(['apiVersion'], 'must be airlock.dev/v1');
  if (doc.kind !== 'Workflow') problems.add(['kind'], 'must be Workflow');
  if (typeof doc.name !== 'string' || !NAME.test(doc.name))
    problems.add(['name'], 'a lowercase name of letters, digits, ".", "_" and "-" is required');
  const inputs = readInputs(doc.inputs, problems);
  const steps = readSteps(doc.steps, problems, (path) => yaml.positionOf(path));
  const on = readTriggers(doc.on, problems);
  if (problems.size > 0) throw definitionError(problems.items, file);
  const definition: WorkflowDefinition = {
    apiVersion: 'airlock.dev/v1',
    kind: 'Workflow',
    name: doc.name as string,
    inputs,
    on,
    env: {},
    steps,
    outputs: isObject(doc.outputs) ? (doc.outputs as Record<string, TemplatedValue>) : {},
  };
  if (typeof doc.description === 'string') definition.description = doc.description;
  return definition;
}

function readInputs(value: unknown, problems: ProblemList): Record<string, InputDefinition> {
  const inputs: Record<string, InputDefinition> = {};
  if (value === undefined) return inputs;
  if (!isObject(value)) {
    problems.add(['inputs'], 'must be a mapping of input names to definitions');
    return inputs;
  }
  for (const [name, raw] of Object.entries(value)) {
    const input = isObject(raw) ? raw : {};
    if (typeof input.type !== 'string' || !INPUT_TYPES.has(input.type)) {
      problems.add(['inputs', name, 'type'], 'must be one of string, number, boolean, object, array');
      continue;
    }
    const definition: InputDefinition = { type: input.type as InputDefinition['type'] };
    if (input.default !== undefined) definition.default = input.default as TemplatedValue;
    if (input.required === true) definition.required = true;
    if (Array.isArray(input.enum)) definition.enum = input.enum as (string | number)[];
    inputs[name] = definition;
  }
  return inputs;
}

function readSteps(
  value: unknown,
  problems: ProblemList,
  positionOf: (path: (string | number)[]) => StepDefinition['position'],
): StepDefinition[] {
  if (!Array.isArray(value) || value.length === 0) {
    problems.add(['steps'], 'at least one step is required');
    return [];
  }
  const seen = new Set<string>();
  return value.map((raw: unknown, index) => {
    const step = isObject(raw) ? raw : {};
    const id = typeof step.id === 'string' ? step.id : '';
    if (!STEP_ID.test(id))
      problems.add(['steps', index, 'id'], 'an identifier (letters, digits, "_") is required');
    else if (seen.has(id)) problems.add(['steps', index, 'id'], `step id "${id}" is used twice`);
    seen.add(id);
    const uses = typeof step.uses === 'string' ? step.uses : '';
    if (!USES.test(uses))
      problems.add(['steps', index, 'uses'], 'must name an action and its version, e.g. oci/copy@v1');
    const needs = Array.isArray(step.needs)
      ? step.needs.filter((n): n is string => typeof n === 'string')
      : [];
    return {
      id,
      uses,
      with: isObject(step.with) ? (step.with as Record<string, TemplatedValue>) : {},
      needs,
      continueOnError: step.continueOnError === true,
      env: {},
      position: positionOf(['steps', index]),
    };
  });
}

function readTriggers(value: unknown, problems: ProblemList): TriggerDefinition[] {
  if (value === undefined) return [{ type: 'manual' }];
  if (!isObject(value)) {
    problems.add(['on'], 'must be a mapping of trigger types');
    return [];
  }
  const triggers: TriggerDefinition[] = [];
  for (const [type, raw] of Object.entries(value)) {
    const config = isObject(raw) ? raw : {};
    if (type === 'manual') triggers.push({ type: 'manual' });
    else if (type === 'schedule' && typeof config.cron === 'string')
      triggers.push({ type: 'schedule', cron: config.cron, timezone: String(config.timezone ?? 'UTC') });
    else if (type === 'registry' && isObject(config.push) && typeof config.push.repository === 'string')
      triggers.push({ type: 'registry', event: 'push', repository: config.push.repository });
    else
      problems.add(
        ['on', type],
        'unknown or incomplete trigger (manual, schedule.cron, registry.push.repository)',
      );
  }
  return triggers;
}

function isObject(value: unknown): value is Doc {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A trigger in a sentence, for trigger lists. */
export function describeTrigger(trigger: TriggerDefinition): string {
  switch (trigger.type) {
    case 'manual':
      return 'started by hand (API, CLI)';
    case 'schedule':
      return `cron "${trigger.cron}" (${trigger.timezone})`;
    case 'registry':
      return `${trigger.event} to ${trigger.repository}${trigger.tag ? `:${trigger.tag}` : ''}`;
    case 'workflow':
      return `${trigger.workflows.join(', ')} completed (${trigger.conclusion ?? 'any'})`;
  }
}
