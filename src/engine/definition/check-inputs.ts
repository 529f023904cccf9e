import type { ProblemList } from './problems.js';
import { isRecord, rawField, rawInputs, rawSchedules, type RawInput } from './raw-document.js';
import { nearest } from './suggest.js';
import { hasTemplate } from './expression/template.js';
import { describeValue } from './zod-issues.js';

/**
 * Checks of inputs against their own declaration (default and enum of the declared type) and
 * against the triggers that start runs without a person to ask (schedules must set every
 * required input), and of a workflow that would trigger on its own completion.
 */
export function checkInputs(document: unknown, problems: ProblemList): void {
  const inputs = rawInputs(document);
  for (const input of inputs) checkDeclaration(input, problems);
  const byName = new Map(inputs.map((input) => [input.name, input]));
  for (const schedule of rawSchedules(document)) {
    const provided = isRecord(schedule.inputs) ? schedule.inputs : {};
    for (const [name, value] of Object.entries(provided)) {
      const input = byName.get(name);
      const path = [...schedule.path, 'inputs', name];
      if (input === undefined) problems.add(path, undeclaredMessage(name, byName.keys()));
      else if (!(typeof value === 'string' && hasTemplate(value))) checkValue(input, value, path, problems);
    }
    for (const input of inputs) {
      if (input.required && !input.hasDefault && !Object.hasOwn(provided, input.name)) {
        problems.add(
          schedule.path,
          `input ${input.name} is required and has no default: set it in this schedule's inputs`,
        );
      }
    }
  }
  checkSelfTrigger(document, problems);
}

function checkDeclaration(input: RawInput, problems: ProblemList): void {
  const path = ['inputs', input.name];
  if (input.enum !== undefined) {
    if (input.type !== 'string' && input.type !== 'number') {
      problems.add([...path, 'enum'], `enum applies to string and number inputs, not ${input.type}`);
    } else {
      input.enum.forEach((value, i) => {
        if (!matchesType(input.type, value))
          problems.add([...path, 'enum', i], typeMessage(input.type, value));
      });
    }
  }
  if (input.hasDefault) checkValue(input, input.default, [...path, 'default'], problems);
}

function checkValue(input: RawInput, value: unknown, path: (string | number)[], problems: ProblemList): void {
  if (!matchesType(input.type, value)) return problems.add(path, typeMessage(input.type, value));
  if (input.enum !== undefined && !input.enum.includes(value as string | number)) {
    problems.add(
      path,
      `${JSON.stringify(value)} is not one of ${input.enum.map((v) => JSON.stringify(v)).join(', ')}`,
    );
  }
}

const TYPE_NAMES: Readonly<Record<string, string>> = {
  string: 'a string',
  number: 'a number',
  boolean: 'a boolean',
  object: 'a mapping',
  array: 'a list',
};

export function matchesType(type: string, value: unknown): boolean {
  switch (type) {
    case 'string':
      return typeof value === 'string';
    case 'number':
      return typeof value === 'number' && Number.isFinite(value);
    case 'boolean':
      return typeof value === 'boolean';
    case 'object':
      return isRecord(value);
    case 'array':
      return Array.isArray(value);
    default:
      return true;
  }
}

function typeMessage(type: string, value: unknown): string {
  return `expected ${TYPE_NAMES[type] ?? type} (the input's type), found ${describeValue(value)}`;
}

function undeclaredMessage(name: string, names: Iterable<string>): string {
  const suggestion = nearest(name, names);
  return `input ${name} is not declared${suggestion === undefined ? '' : `: did you mean ${suggestion}?`}`;
}

function checkSelfTrigger(document: unknown, problems: ProblemList): void {
  const name = rawField(document, ['name']);
  const workflows = rawField(document, ['on', 'workflow', 'completed', 'workflows']);
  if (typeof name !== 'string' || !Array.isArray(workflows)) return;
  workflows.forEach((workflow, i) => {
    if (workflow === name) {
      problems.add(
        ['on', 'workflow', 'completed', 'workflows', i],
        `a workflow cannot start on its own completion (${name}): it would run forever`,
      );
    }
  });
}
