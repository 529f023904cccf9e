import { AppError } from '../../kernel/index.js';
import { matchesType } from './check-inputs.js';
import { isRecord } from './raw-document.js';
import { nearest } from './suggest.js';
import type { InputDefinition, WorkflowDefinition } from './types.js';

/** Number syntax accepted from text (`--input n=3`), as JSON writes numbers. */
const NUMBER_TEXT = /^-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?$/;

/**
 * The inputs of a run: provided values checked against their declaration and coerced from
 * text where the caller had only text (CLI `--input n=3` → 3 for a number input, JSON for
 * objects and lists), defaults for the rest. Inputs neither provided nor defaulted are absent
 * (`has(inputs.x)` is false). Every problem is reported at once in ENGINE_INPUT_INVALID.
 */
export function resolveInputs(
  definition: WorkflowDefinition,
  provided: Readonly<Record<string, unknown>>,
): Record<string, unknown> {
  const problems: { input: string; message: string }[] = [];
  const declared = Object.keys(definition.inputs);
  for (const name of Object.keys(provided)) {
    if (Object.hasOwn(definition.inputs, name)) continue;
    const suggestion = nearest(name, declared);
    const hint =
      declared.length === 0
        ? `${definition.name} has no inputs`
        : suggestion === undefined
          ? `inputs are ${declared.join(', ')}`
          : `did you mean ${suggestion}?`;
    problems.push({ input: name, message: `unknown input ${name}: ${hint}` });
  }
  const resolved: Record<string, unknown> = {};
  for (const [name, input] of Object.entries(definition.inputs)) {
    const value = Object.hasOwn(provided, name) ? provided[name] : undefined;
    if (value === undefined) {
      if (input.default !== undefined) resolved[name] = structuredClone(input.default);
      else if (input.required === true) problems.push({ input: name, message: `input ${name} is required` });
      continue;
    }
    const coerced = coerceInput(name, input, value);
    if (coerced.ok) resolved[name] = coerced.value;
    else problems.push({ input: name, message: coerced.problem });
  }
  if (problems.length > 0) {
    throw new AppError('ENGINE_INPUT_INVALID', problems.map((problem) => problem.message).join('\n'), {
      details: { workflow: definition.name, problems },
    });
  }
  return resolved;
}

type Coerced = { ok: true; value: unknown } | { ok: false; problem: string };

function coerceInput(name: string, input: InputDefinition, value: unknown): Coerced {
  const typed = typeof value === 'string' ? fromText(input.type, value) : value;
  if (typed === undefined || !matchesType(input.type, typed)) {
    return { ok: false, problem: typeProblem(name, input, value) };
  }
  if (input.enum !== undefined && !input.enum.includes(typed as string | number)) {
    const allowed = input.enum.map((v) => JSON.stringify(v)).join(', ');
    return { ok: false, problem: `input ${name}: ${JSON.stringify(typed)} is not one of ${allowed}` };
  }
  return { ok: true, value: typed };
}

/** The typed value of text given for an input of `type`; undefined when the text is not one. */
function fromText(type: InputDefinition['type'], text: string): unknown {
  switch (type) {
    case 'string':
      return text;
    case 'number':
      return NUMBER_TEXT.test(text.trim()) ? Number(text.trim()) : undefined;
    case 'boolean':
      return text === 'true' ? true : text === 'false' ? false : undefined;
    case 'object':
    case 'array':
      try {
        return JSON.parse(text) as unknown;
      } catch {
        return undefined;
      }
  }
}

const EXAMPLES: Readonly<Record<InputDefinition['type'], string>> = {
  string: 'text',
  number: 'a number, e.g. 3',
  boolean: 'true or false',
  object: `a JSON object, e.g. {"key": "value"}`,
  array: 'a JSON list, e.g. ["a", "b"]',
};

function typeProblem(name: string, input: InputDefinition, value: unknown): string {
  const shown =
    typeof value === 'string'
      ? JSON.stringify(value)
      : isRecord(value)
        ? 'an object'
        : Array.isArray(value)
          ? 'a list'
          : String(value);
  const article = input.type === 'object' || input.type === 'array' ? 'an' : 'a';
  return `input ${name} is ${article} ${input.type}: expected ${EXAMPLES[input.type]}, got ${shown}`;
}
