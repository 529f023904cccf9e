import type { DocumentPath } from './yaml-source.js';

/**
 * Lenient views of the document as written, for the checks that run beside schema validation
 * so that every problem is reported at once: each view takes what is well-typed and ignores
 * the rest (the schema reports that).
 */

export interface RawStep {
  index: number;
  path: DocumentPath;
  id?: string;
  uses?: string;
  /** Explicit `needs`, each with its path. */
  needs: { id: string; path: DocumentPath }[];
  if?: string;
  forEach?: string;
  hasMaxParallel: boolean;
  with: unknown;
  env: unknown;
}

export interface RawInput {
  name: string;
  type: string;
  default?: unknown;
  hasDefault: boolean;
  required: boolean;
  enum?: unknown[];
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function field(value: unknown, key: string): unknown {
  return isRecord(value) && Object.hasOwn(value, key) ? value[key] : undefined;
}

const asString = (value: unknown) => (typeof value === 'string' ? value : undefined);

export function rawSteps(document: unknown): RawStep[] {
  const steps = field(document, 'steps');
  if (!Array.isArray(steps)) return [];
  return steps.map((step, index) => {
    const path = ['steps', index];
    const needs = field(step, 'needs');
    const needList = typeof needs === 'string' ? [{ id: needs, path: [...path, 'needs'] }] : [];
    if (Array.isArray(needs)) {
      needs.forEach((need, i) => {
        if (typeof need === 'string') needList.push({ id: need, path: [...path, 'needs', i] });
      });
    }
    const condition = field(step, 'if');
    return {
      index,
      path,
      id: asString(field(step, 'id')),
      uses: asString(field(step, 'uses')),
      needs: needList,
      if: typeof condition === 'boolean' ? String(condition) : asString(condition),
      forEach: asString(field(step, 'forEach')),
      hasMaxParallel: field(step, 'maxParallel') !== undefined,
      with: field(step, 'with'),
      env: field(step, 'env'),
    };
  });
}

export function rawInputs(document: unknown): RawInput[] {
  const inputs = field(document, 'inputs');
  if (!isRecord(inputs)) return [];
  return Object.entries(inputs).map(([name, input]) => {
    const enumValues = field(input, 'enum');
    return {
      name,
      type: asString(field(input, 'type')) ?? 'string',
      default: field(input, 'default'),
      hasDefault: isRecord(input) && Object.hasOwn(input, 'default'),
      required: field(input, 'required') === true,
      ...(Array.isArray(enumValues) ? { enum: enumValues } : {}),
    };
  });
}

/** `on.schedule` entries that are mappings, with their paths. */
export function rawSchedules(document: unknown): { path: DocumentPath; inputs: unknown }[] {
  const schedule = field(field(document, 'on'), 'schedule');
  const entries = Array.isArray(schedule)
    ? schedule.map((entry, i) => ({ entry, path: ['on', 'schedule', i] }))
    : [{ entry: schedule, path: ['on', 'schedule'] }];
  return entries
    .filter(({ entry }) => isRecord(entry))
    .map(({ entry, path }) => ({ path, inputs: field(entry, 'inputs') }));
}

export function rawField(document: unknown, path: DocumentPath): unknown {
  let current = document;
  for (const segment of path)
    current = Array.isArray(current) ? current[segment as number] : field(current, String(segment));
  return current;
}
