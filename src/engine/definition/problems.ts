import { AppError } from '../../kernel/index.js';
import type { DefinitionProblem } from '../service.js';
import type { SourcePosition } from './types.js';
import type { DocumentPath } from './yaml-source.js';

/** `steps[1].uses`, `on.schedule[0].cron`, `env["A-B"]`: the path as users read it. */
export function formatPath(path: DocumentPath): string {
  let text = '';
  for (const segment of path) {
    if (typeof segment === 'number') text += `[${segment}]`;
    else if (/^[A-Za-z_][A-Za-z0-9_-]*$/.test(segment)) text += text === '' ? segment : `.${segment}`;
    else text += `[${JSON.stringify(segment)}]`;
  }
  return text;
}

/** One line per problem, the way compilers print them: `mirror.yaml:12:5: steps[1].uses: …`. */
export function formatProblem(problem: DefinitionProblem, file?: string): string {
  const where = [file, problem.position?.line, problem.position?.column].filter((part) => part !== undefined);
  const prefix = where.length > 0 ? `${where.join(':')}: ` : '';
  const path = problem.path === '' ? '' : `${problem.path}: `;
  return `${prefix}${path}${problem.message}`;
}

/** Problems in reading order (line, column, path); each reported once. */
export function sortProblems(problems: readonly DefinitionProblem[]): DefinitionProblem[] {
  const seen = new Set<string>();
  const unique = problems.filter((problem) => {
    const key = `${problem.path}\u0000${problem.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  return unique.sort(
    (a, b) =>
      compareNumbers(a.position?.line, b.position?.line) ||
      compareNumbers(a.position?.column, b.position?.column) ||
      a.path.localeCompare(b.path),
  );
}

function compareNumbers(a: number | undefined, b: number | undefined): number {
  return (a ?? Number.MAX_SAFE_INTEGER) - (b ?? Number.MAX_SAFE_INTEGER);
}

/** The error of a definition that does not validate: every problem in the message and in details. */
export function definitionError(problems: readonly DefinitionProblem[], file?: string): AppError {
  const sorted = sortProblems(problems);
  return new AppError(
    'ENGINE_DEFINITION_INVALID',
    sorted.map((problem) => formatProblem(problem, file)).join('\n'),
    {
      details: {
        ...(file === undefined ? {} : { file }),
        problems: sorted.map((problem) => ({
          path: problem.path,
          message: problem.message,
          ...(problem.position ? { position: { ...problem.position } } : {}),
        })),
      },
    },
  );
}

/** Collects problems with positions resolved from document paths. */
export class ProblemList {
  readonly items: DefinitionProblem[] = [];

  constructor(private readonly locate: (path: DocumentPath) => SourcePosition | undefined) {}

  /** A problem with the value at `path`. */
  add(path: DocumentPath, message: string, position?: SourcePosition): void {
    this.items.push({ path: formatPath(path), message, position: position ?? this.locate(path) });
  }

  get size(): number {
    return this.items.length;
  }
}
