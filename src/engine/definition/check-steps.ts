import { checkApprovalInput } from './approval-input.js';
import { hasTemplate } from './expression/template.js';
import { cycleMessage } from './dag.js';
import {
  expressionReferences,
  secretsReferenced,
  stepIdsOf,
  templateReferences,
} from './expression/references.js';
import { findCycle } from './graph.js';
import type { ProblemList } from './problems.js';
import { isRecord, rawSteps, type RawStep } from './raw-document.js';
import { nearest } from './suggest.js';
import type { TemplatedValue } from './types.js';
import { USES_PATTERN } from './names.js';
import type { YamlSource } from './yaml-source.js';

/** Which actions exist: a predicate, or the list of `name@version` (which also gives suggestions). */
export type KnownActions = ((uses: string) => boolean) | Iterable<string>;

/**
 * Checks across steps: unique ids, `needs` naming existing steps, no cycles (through `needs`
 * or references), known actions, and `maxParallel` only with `forEach`.
 */
export function checkSteps(
  document: unknown,
  source: YamlSource,
  problems: ProblemList,
  actions?: KnownActions,
): void {
  const steps = rawSteps(document);
  checkUniqueIds(steps, source, problems);
  const ids = new Set(steps.flatMap((step) => (step.id === undefined ? [] : [step.id])));
  for (const step of steps) {
    for (const need of step.needs) {
      if (need.id === step.id) problems.add(need.path, `step "${need.id}" cannot need itself`);
      else if (!ids.has(need.id)) problems.add(need.path, unknownStepMessage(need.id, ids));
    }
    if (step.hasMaxParallel && step.forEach === undefined) {
      problems.add(
        [...step.path, 'maxParallel'],
        'maxParallel limits forEach items: add forEach or remove maxParallel',
      );
    }
  }
  checkCycles(steps, ids, problems);
  if (actions !== undefined) checkActions(steps, actions, problems);
  checkApprovals(steps, problems);
  checkEnvSecrets(isRecord(document) ? document.env : undefined, ['env'], problems);
  for (const step of steps) checkEnvSecrets(step.env, [...step.path, 'env'], problems);
}

/** Env values are kept with the run (its scope travels through checkpoints): no secrets in them. */
function checkEnvSecrets(env: unknown, path: (string | number)[], problems: ProblemList): void {
  if (!isRecord(env)) return;
  for (const [name, value] of Object.entries(env)) {
    const used = secretsReferenced(value as TemplatedValue);
    if (used.all || used.names.length > 0)
      problems.add(
        [...path, name],
        "env values cannot read secrets (they are stored with the run): use secrets.<name> in with, or exec's secrets: [NAME]",
      );
  }
}

/** `approval@v1` is the engine's own: its literal `with` values are checked now, not days later. */
function checkApprovals(steps: readonly RawStep[], problems: ProblemList): void {
  for (const step of steps) {
    if (step.uses !== 'approval@v1' || !isRecord(step.with)) continue;
    const literal = Object.fromEntries(Object.entries(step.with).filter(([, value]) => !isTemplated(value)));
    const checked = checkApprovalInput(literal);
    if (!checked.ok)
      for (const problem of checked.problems)
        problems.add([...step.path, 'with', ...problem.path], problem.message);
  }
}

function isTemplated(value: unknown): boolean {
  return hasTemplate(JSON.stringify(value) ?? '');
}

export function unknownStepMessage(id: string, ids: Iterable<string>): string {
  const suggestion = nearest(id, ids);
  return `unknown step "${id}"${suggestion === undefined ? '' : `: did you mean ${suggestion}?`}`;
}

function checkUniqueIds(steps: readonly RawStep[], source: YamlSource, problems: ProblemList): void {
  const first = new Map<string, RawStep>();
  for (const step of steps) {
    if (step.id === undefined) continue;
    const earlier = first.get(step.id);
    if (earlier === undefined) {
      first.set(step.id, step);
      continue;
    }
    const line = source.positionOf([...earlier.path, 'id'])?.line;
    const where = line === undefined ? `steps[${earlier.index}]` : `line ${line}`;
    problems.add([...step.path, 'id'], `duplicate step id "${step.id}" (first used at ${where})`);
  }
}

function checkCycles(steps: readonly RawStep[], ids: ReadonlySet<string>, problems: ProblemList): void {
  const dependencies = new Map<string, string[]>();
  for (const step of steps) {
    if (step.id === undefined || dependencies.has(step.id)) continue;
    const referenced = stepIdsOf([
      ...(step.if === undefined ? [] : expressionReferences(step.if)),
      ...(step.forEach === undefined ? [] : expressionReferences(step.forEach)),
      ...templateReferences(step.with as TemplatedValue),
      ...templateReferences(step.env as TemplatedValue),
    ]);
    const all = [...step.needs.map((need) => need.id), ...referenced];
    dependencies.set(
      step.id,
      [...new Set(all)].filter((id) => id !== step.id && ids.has(id)),
    );
  }
  const cycle = findCycle([...dependencies.keys()], dependencies);
  if (cycle === undefined) return;
  const start = steps.find((step) => step.id === cycle[0])!;
  problems.add([...start.path, start.needs.length > 0 ? 'needs' : 'id'], cycleMessage(cycle));
}

function checkActions(steps: readonly RawStep[], actions: KnownActions, problems: ProblemList): void {
  const names = typeof actions === 'function' ? undefined : [...actions];
  const isKnown = typeof actions === 'function' ? actions : (uses: string) => names!.includes(uses);
  for (const step of steps) {
    if (step.uses === undefined || !new RegExp(USES_PATTERN).test(step.uses) || isKnown(step.uses)) continue;
    problems.add([...step.path, 'uses'], unknownActionMessage(step.uses, names));
  }
}

function unknownActionMessage(uses: string, names: readonly string[] | undefined): string {
  if (names === undefined) return `unknown action "${uses}"`;
  const name = uses.slice(0, uses.lastIndexOf('@'));
  const versions = names.filter((known) => known.startsWith(`${name}@`));
  if (versions.length > 0)
    return `action ${name} has no version "${uses.slice(name.length + 1)}": use ${versions.join(' or ')}`;
  const suggestion = nearest(uses, names);
  return `unknown action "${uses}"${suggestion === undefined ? '' : `: did you mean ${suggestion}?`}`;
}
