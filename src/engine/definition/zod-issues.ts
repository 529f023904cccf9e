import type { z } from 'zod';
import type { ProblemList } from './problems.js';
import { nearest } from './suggest.js';
import type { DocumentPath, YamlSource } from './yaml-source.js';

/**
 * Turns zod issues into problems users can act on: the value that was wrong, the nearest valid
 * key or option, and the branch of a union the value was meant for (a list where a list is
 * allowed), instead of zod's generic texts.
 */

/**
 * Passed as the per-parse error map, so that issues whose schema has no message of its own
 * can be told apart (and rendered here) without matching on message text.
 */
export const GENERIC_MESSAGE = '\u0000generic';

type Issue = z.core.$ZodIssue;

/** GitHub Actions keys that mean something else here. */
const FAMILIAR_KEYS: Readonly<Record<string, string>> = {
  jobs: 'Airlock workflows have no jobs: list the steps under steps',
  'runs-on': 'Airlock has no runners: remove it',
  run: 'steps run actions: use uses: exec@v1 with a command',
  'timeout-minutes': 'write timeout: 10m',
  'continue-on-error': 'write continueOnError: true',
  'max-parallel': 'write maxParallel',
  strategy: 'fan out with forEach (and maxParallel)',
  matrix: 'fan out with forEach',
  workflow_dispatch: 'manual starts are written manual',
  workflow_run: 'write workflow: { completed: { workflows: [...] } }',
};

export interface IssueContext {
  value: unknown;
  schema: z.ZodType;
  source: YamlSource;
  problems: ProblemList;
}

export function reportIssues(
  issues: readonly Issue[],
  context: IssueContext,
  prefix: DocumentPath = [],
): void {
  for (const issue of issues) reportIssue(issue, context, [...prefix, ...issue.path.map(segmentOf)]);
}

function reportIssue(issue: Issue, context: IssueContext, path: DocumentPath): void {
  const { problems, source } = context;
  const own = issue.message !== GENERIC_MESSAGE;
  const value = valueAt(context.value, path);
  switch (issue.code) {
    case 'invalid_union':
      return reportUnion(issue.errors, context, path, value);
    case 'unrecognized_keys':
      for (const key of issue.keys) {
        const keyPath = [...path, key];
        problems.add(
          keyPath,
          unknownKeyMessage(key, knownKeysAt(context.schema, path)),
          source.keyPositionOf(keyPath),
        );
      }
      return;
    case 'invalid_key':
      for (const inner of issue.issues) {
        problems.add(
          path,
          inner.message === GENERIC_MESSAGE ? 'invalid key' : inner.message,
          source.keyPositionOf(path),
        );
      }
      return;
    case 'invalid_type':
      return problems.add(path, own ? issue.message : typeMessage(issue.expected, value));
    case 'invalid_value':
      return problems.add(path, own ? issue.message : valueMessage(issue.values, value));
    case 'too_small':
      return problems.add(path, own ? issue.message : boundMessage('at least', issue.minimum, issue.origin));
    case 'too_big':
      return problems.add(path, own ? issue.message : boundMessage('at most', issue.maximum, issue.origin));
    default:
      return problems.add(path, own ? issue.message : `invalid value ${describeValue(value)}`);
  }
}

/**
 * A union's branches fail for different reasons; the branch the user meant is the one whose
 * type matched (a list for `schedule: [...]`). Its issues are reported as if there were no union.
 */
function reportUnion(branches: Issue[][], context: IssueContext, path: DocumentPath, value: unknown): void {
  const isTypeMismatch = (issue: Issue) =>
    issue.path.length === 0 &&
    (issue.code === 'invalid_type' || issue.code === 'invalid_value' || issue.code === 'invalid_union');
  const matching = branches.filter((branch) => !branch.some(isTypeMismatch));
  if (matching.length > 0) {
    const best = matching.reduce((a, b) => (b.length < a.length ? b : a));
    return reportIssues(best, context, path);
  }
  const expected = branches.flatMap((branch) => branch.filter(isTypeMismatch).flatMap(expectedOf));
  const unique = [...new Set(expected)];
  context.problems.add(path, `expected ${joinOr(unique)}, found ${describeValue(value)}`);
}

function expectedOf(issue: Issue): string[] {
  if (issue.code === 'invalid_type') return [article(issue.expected)];
  if (issue.code === 'invalid_value') return issue.values.map((v) => JSON.stringify(v));
  if (issue.code === 'invalid_union') return issue.errors.flatMap((branch) => branch.flatMap(expectedOf));
  return [];
}

function typeMessage(expected: string, value: unknown): string {
  if (value === undefined) return 'required';
  return `expected ${article(expected)}, found ${describeValue(value)}`;
}

function valueMessage(values: readonly unknown[], value: unknown): string {
  const options = values.map((v) => String(v));
  const suggestion = typeof value === 'string' ? nearest(value, options) : undefined;
  const found = value === undefined ? 'nothing' : describeValue(value);
  const hint = suggestion === undefined ? '' : `: did you mean ${suggestion}?`;
  return `expected ${values.length === 1 ? '' : 'one of '}${options.join(', ')}; found ${found}${hint}`;
}

function boundMessage(relation: 'at least' | 'at most', bound: number | bigint, origin: string): string {
  const count = Number(bound);
  if (origin === 'array' || origin === 'set')
    return `needs ${relation} ${count} item${count === 1 ? '' : 's'}`;
  if (origin === 'string') return `needs ${relation} ${count} character${count === 1 ? '' : 's'}`;
  return `must be ${relation} ${count}`;
}

function unknownKeyMessage(key: string, known: readonly string[]): string {
  const familiar = Object.hasOwn(FAMILIAR_KEYS, key) ? FAMILIAR_KEYS[key] : undefined;
  if (familiar !== undefined) return `unknown key "${key}": ${familiar}`;
  const suggestion = nearest(key, known);
  if (suggestion !== undefined) return `unknown key "${key}": did you mean ${suggestion}?`;
  return known.length > 0
    ? `unknown key "${key}": expected one of ${known.join(', ')}`
    : `unknown key "${key}"`;
}

/** The keys an object schema at `path` accepts (the union of all schemas that may apply there). */
function knownKeysAt(schema: z.ZodType, path: DocumentPath): string[] {
  let candidates = [schema as unknown as z.core.$ZodType];
  for (const segment of path)
    candidates = candidates.flatMap((candidate) => childSchemas(candidate, segment));
  return [...new Set(candidates.flatMap((candidate) => objectKeys(candidate)))];
}

function unwrap(schema: z.core.$ZodType): z.core.$ZodType[] {
  const def = schema._zod.def as unknown as Record<string, unknown> & { type: string };
  switch (def.type) {
    case 'optional':
    case 'default':
    case 'nullable':
    case 'prefault':
    case 'readonly':
    case 'catch':
      return unwrap(def.innerType as z.core.$ZodType);
    case 'pipe':
      return unwrap(def.in as z.core.$ZodType);
    case 'lazy':
      return unwrap((def.getter as () => z.core.$ZodType)());
    case 'union':
      return (def.options as z.core.$ZodType[]).flatMap(unwrap);
    default:
      return [schema];
  }
}

function childSchemas(schema: z.core.$ZodType, segment: string | number): z.core.$ZodType[] {
  return unwrap(schema).flatMap((inner) => {
    const def = inner._zod.def as unknown as Record<string, unknown> & { type: string };
    if (def.type === 'object' && typeof segment === 'string') {
      const child = (def.shape as Record<string, z.core.$ZodType>)[segment];
      return child === undefined ? [] : [child];
    }
    if (def.type === 'array' && typeof segment === 'number') return [def.element as z.core.$ZodType];
    if (def.type === 'record' && typeof segment === 'string') return [def.valueType as z.core.$ZodType];
    return [];
  });
}

function objectKeys(schema: z.core.$ZodType): string[] {
  return unwrap(schema).flatMap((inner) => {
    const def = inner._zod.def as unknown as Record<string, unknown> & { type: string };
    return def.type === 'object' ? Object.keys(def.shape as object) : [];
  });
}

function segmentOf(key: PropertyKey): string | number {
  return typeof key === 'number' ? key : String(key);
}

export function valueAt(root: unknown, path: DocumentPath): unknown {
  let current = root;
  for (const segment of path) {
    if (current === null || typeof current !== 'object') return undefined;
    if (!Object.hasOwn(current, segment)) return undefined;
    current = (current as Record<string | number, unknown>)[segment];
  }
  return current;
}

/** `a string ("x")`, `a number (3)`, `a list`, `a mapping`, `null`, for messages. */
export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  switch (typeof value) {
    case 'string':
      return `a string (${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)})`;
    case 'number':
    case 'boolean':
      return `a ${typeof value} (${String(value)})`;
    case 'object':
      return 'a mapping';
    default:
      return typeof value;
  }
}

function article(type: string): string {
  const names: Record<string, string> = {
    object: 'a mapping',
    record: 'a mapping',
    array: 'a list',
    int: 'an integer',
    null: 'null',
    string: 'a string',
    number: 'a number',
    boolean: 'a boolean',
  };
  return names[type] ?? type;
}

function joinOr(items: readonly string[]): string {
  if (items.length <= 1) return items[0] ?? 'something else';
  return `${items.slice(0, -1).join(', ')} or ${items[items.length - 1]}`;
}
