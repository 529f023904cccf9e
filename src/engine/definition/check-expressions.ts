import { unknownStepMessage } from './check-steps.js';
import type { NameReference } from './expression/cel-ast.js';
import { compileExpression, type ScopeRoot } from './expression/compile.js';
import { ExpressionError } from './expression/expression-error.js';
import { bareExpression, templateExpressions } from './expression/template-values.js';
import type { ProblemList } from './problems.js';
import { isRecord, rawField, rawInputs, rawSchedules, rawSteps, type RawStep } from './raw-document.js';
import { nearest } from './suggest.js';
import type { TemplatedValue } from './types.js';
import type { DocumentPath, YamlSource } from './yaml-source.js';

/**
 * Checks every expression of the document: it compiles, and each name it reads exists where
 * it is evaluated (declared inputs, other steps, `item` only in forEach steps).
 */

interface Site {
  /** Roots the expression may read here, with the reason for those it may not. */
  allowed: ReadonlySet<ScopeRoot>;
  /** What `steps`, `item`, `index` mean here. */
  step?: RawStep;
  where: string;
}

interface Names {
  inputs: ReadonlySet<string>;
  steps: ReadonlySet<string>;
}

const BASE: readonly ScopeRoot[] = ['inputs', 'env', 'secrets', 'run', 'trigger'];
const RUN_FIELDS = ['id', 'workflow', 'version', 'startedAt', 'attempt'];
const TRIGGER_FIELDS = ['type', 'event'];
const STEP_FIELDS = ['outputs', 'status', 'conclusion'];

export function checkExpressions(document: unknown, source: YamlSource, problems: ProblemList): void {
  const steps = rawSteps(document);
  const names: Names = {
    inputs: new Set(rawInputs(document).map((input) => input.name)),
    steps: new Set(steps.flatMap((step) => (step.id === undefined ? [] : [step.id]))),
  };
  const check = new ExpressionChecker(source, problems, names);
  check.templates(['env'], rawField(document, ['env']), {
    allowed: new Set(['inputs', 'secrets', 'run', 'trigger']),
    where: 'the workflow env',
  });
  check.templates(['outputs'], rawField(document, ['outputs']), {
    allowed: new Set([...BASE, 'steps']),
    where: 'outputs',
  });
  for (const schedule of rawSchedules(document)) {
    const site: Site = { allowed: new Set(['env', 'secrets', 'run', 'trigger']), where: 'schedule inputs' };
    check.templates([...schedule.path, 'inputs'], schedule.inputs, site);
  }
  for (const step of steps) {
    const fanOut = step.forEach !== undefined;
    const inStep: ScopeRoot[] = [...BASE, 'steps', ...(fanOut ? (['item', 'index'] as const) : [])];
    check.templates([...step.path, 'with'], step.with, { allowed: new Set(inStep), step, where: 'with' });
    check.templates([...step.path, 'env'], step.env, { allowed: new Set(inStep), step, where: 'env' });
    const single: Site = { allowed: new Set([...BASE, 'steps']), step, where: '' };
    if (step.if !== undefined) check.single([...step.path, 'if'], step.if, { ...single, where: 'if' });
    if (step.forEach !== undefined)
      check.single([...step.path, 'forEach'], step.forEach, { ...single, where: 'forEach' });
  }
  for (const input of rawInputs(document)) {
    if (!input.hasDefault) continue;
    const found = templateExpressions(input.default as TemplatedValue);
    if (found.expressions.length + found.problems.length > 0) {
      problems.add(
        ['inputs', input.name, 'default'],
        'input defaults are literal values: ${{ }} is not evaluated here',
      );
    }
  }
}

class ExpressionChecker {
  constructor(
    private readonly source: YamlSource,
    private readonly problems: ProblemList,
    private readonly names: Names,
  ) {}

  /** Every `${{ … }}` in the strings of `value`. */
  templates(path: DocumentPath, value: unknown, site: Site): void {
    if (value === undefined || (!isRecord(value) && !Array.isArray(value) && typeof value !== 'string'))
      return;
    const found = templateExpressions(value as TemplatedValue);
    for (const problem of found.problems) {
      const at = [...path, ...problem.path];
      this.problems.add(at, problem.message, this.source.positionInString(at, problem.offset));
    }
    for (const expression of found.expressions) {
      this.expression([...path, ...expression.path], expression.text, expression.offset, site);
    }
  }

  /** A field that is one expression (`if`, `forEach`), bare or as one `${{ … }}`. */
  single(path: DocumentPath, text: string, site: Site): void {
    const bare = bareExpression(text);
    if (bare === undefined) {
      this.problems.add(
        path,
        `${site.where} is one expression: write \${{ … }} or the bare expression, not text around it`,
      );
      return;
    }
    this.expression(path, bare.text, bare.offset, site);
  }

  private expression(path: DocumentPath, text: string, offset: number, site: Site): void {
    let references: readonly NameReference[];
    try {
      references = compileExpression(text).references;
    } catch (error) {
      if (!(error instanceof ExpressionError)) throw error;
      const at = this.source.positionInString(path, offset + (error.offset ?? 0));
      this.problems.add(path, error.reason, at);
      return;
    }
    for (const reference of references) {
      const message = this.referenceProblem(reference, site);
      if (message !== undefined) {
        this.problems.add(path, message, this.source.positionInString(path, offset + reference.offset));
      }
    }
  }

  private referenceProblem(reference: NameReference, site: Site): string | undefined {
    const root = reference.root as ScopeRoot;
    const [first, second] = reference.path;
    if (!site.allowed.has(root)) return notAllowedMessage(root, site);
    switch (root) {
      case 'inputs':
        return first === undefined || this.names.inputs.has(first)
          ? undefined
          : undeclaredInput(first, this.names.inputs);
      case 'steps':
        return this.stepProblem(first, second, site);
      case 'run':
        return fieldProblem('run', first, RUN_FIELDS);
      case 'trigger':
        return fieldProblem('trigger', first, TRIGGER_FIELDS);
      default:
        return undefined;
    }
  }

  private stepProblem(id: string | undefined, field: string | undefined, site: Site): string | undefined {
    if (id === undefined)
      return 'refer to steps by id (steps.<id>.outputs…): Airlock orders steps by these references';
    if (id === site.step?.id) return `a step cannot read its own ${field ?? 'state'} (steps.${id})`;
    if (!this.names.steps.has(id)) return unknownStepMessage(id, this.names.steps);
    return fieldProblem(`steps.${id}`, field, STEP_FIELDS);
  }
}

function undeclaredInput(name: string, inputs: ReadonlySet<string>): string {
  const suggestion = nearest(name, inputs);
  const hint = suggestion === undefined ? 'declare it under inputs' : `did you mean inputs.${suggestion}?`;
  return `inputs.${name} is not declared: ${hint}`;
}

function fieldProblem(
  owner: string,
  field: string | undefined,
  fields: readonly string[],
): string | undefined {
  if (field === undefined || fields.includes(field)) return undefined;
  const suggestion = nearest(field, fields);
  const hint =
    suggestion === undefined ? `${owner} has ${fields.join(', ')}` : `did you mean ${owner}.${suggestion}?`;
  return `${owner}.${field} does not exist: ${hint}`;
}

function notAllowedMessage(root: ScopeRoot, site: Site): string {
  if (root === 'item' || root === 'index') {
    if (site.where === 'if') {
      return `${root} is not defined in if: the condition is evaluated once, before the items fan out; filter the list in forEach instead`;
    }
    if (site.where === 'forEach')
      return `${root} is not defined in forEach itself: it names the item being run`;
    return `${root} is only defined in forEach steps: add forEach or remove ${root}`;
  }
  return `${root} is not available in ${site.where}: it is evaluated ${whenEvaluated(site.where)}`;
}

function whenEvaluated(where: string): string {
  if (where === 'the workflow env') return 'when the run starts, before any step';
  if (where === 'schedule inputs') return 'when the schedule fires, before the run exists';
  return 'outside the steps';
}
