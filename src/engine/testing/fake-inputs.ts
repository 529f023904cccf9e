import { AppError } from '../../kernel/index.js';
import type { InputDefinition, WorkflowDefinition } from '../definition/types.js';

/**
 * Run inputs as the engine accepts them: declared names only, required ones present, defaults
 * filled in, and strings (what `airlock runs start --input k=v` sends) read as the declared
 * type — `3` for a number, `true` for a boolean, JSON for objects and arrays.
 */
export function resolveFakeInputs(
  definition: WorkflowDefinition,
  given: Record<string, unknown> = {},
): Record<string, unknown> {
  const declared = definition.inputs;
  const problems: string[] = [];
  const resolved: Record<string, unknown> = {};
  for (const name of Object.keys(given)) {
    if (!Object.hasOwn(declared, name)) {
      const known = Object.keys(declared);
      problems.push(
        `unknown input "${name}" (${known.length > 0 ? `declared: ${known.join(', ')}` : 'the workflow declares no inputs'})`,
      );
    }
  }
  for (const [name, input] of Object.entries(declared)) {
    if (Object.hasOwn(given, name)) {
      const value = coerce(given[name], input);
      if (value === undefined) problems.push(`input "${name}" must be a ${input.type}`);
      else if (input.enum && !input.enum.includes(value as string | number))
        problems.push(`input "${name}" must be one of ${input.enum.join(', ')}`);
      else resolved[name] = value;
    } else if (input.default !== undefined) resolved[name] = input.default;
    else if (input.required) problems.push(`input "${name}" is required`);
  }
  if (problems.length > 0)
    throw new AppError('ENGINE_INPUT_INVALID', `${definition.name}: ${problems.join('; ')}`, {
      details: {
        workflow: definition.name,
        problems: problems.map((message) => ({ path: 'inputs', message })),
      },
    });
  return resolved;
}

function coerce(value: unknown, input: InputDefinition): unknown {
  switch (input.type) {
    case 'string':
      return typeof value === 'string' ? value : undefined;
    case 'number': {
      const number = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
      return typeof number === 'number' && Number.isFinite(number) ? number : undefined;
    }
    case 'boolean':
      return value === 'true'
        ? true
        : value === 'false'
          ? false
          : typeof value === 'boolean'
            ? value
            : undefined;
    case 'object':
    case 'array': {
      const parsed = typeof value === 'string' ? parseJson(value) : value;
      const isArray = Array.isArray(parsed);
      const fits =
        input.type === 'array' ? isArray : typeof parsed === 'object' && parsed !== null && !isArray;
      return fits ? parsed : undefined;
    }
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
