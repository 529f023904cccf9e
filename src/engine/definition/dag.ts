import { definitionError } from './problems.js';
import { expressionReferences, stepIdsOf, templateReferences } from './expression/references.js';
import { findCycle, topologicalOrder } from './graph.js';
import type { StepDefinition, WorkflowDefinition } from './types.js';

/** A step in the run's DAG. */
export interface DagNode {
  id: string;
  step: StepDefinition;
  /** Steps that must finish first: explicit `needs` and those its expressions read, in file order. */
  needs: string[];
  /** The part of `needs` inferred from `steps.<id>` references. */
  inferredNeeds: string[];
  /** Steps that need this one, in file order. */
  dependents: string[];
  /** Length of the longest chain of needs before this step (0 for steps that can start at once). */
  depth: number;
}

export interface WorkflowDag {
  /** Every step in a topological order; among steps ready together, file order. */
  nodes: DagNode[];
  /** The ids of `nodes`, in the same order. */
  order: string[];
  /** Each step's `needs` (explicit and inferred), as JSON-safe data for a run's plan. */
  dependencies: Record<string, string[]>;
  byId: ReadonlyMap<string, DagNode>;
  /** Steps that can start at once. */
  roots: string[];
}

/** The steps that `step`'s expressions (with, env, if, forEach) read, in first-use order. */
export function stepReferences(step: StepDefinition): string[] {
  const references = [
    ...(step.if === undefined ? [] : expressionReferences(step.if)),
    ...(step.forEach === undefined ? [] : expressionReferences(step.forEach)),
    ...templateReferences(step.with),
    ...templateReferences(step.env),
  ];
  return stepIdsOf(references);
}

/**
 * The DAG of a definition: explicit `needs` plus references to other steps. A definition from
 * `parseWorkflow` always compiles; one built otherwise may fail with ENGINE_DEFINITION_INVALID.
 */
export function compileDag(definition: WorkflowDefinition): WorkflowDag {
  const ids = definition.steps.map((step) => step.id);
  const position = new Map(ids.map((id, index) => [id, index]));
  const dependencies = new Map<string, string[]>();
  const inferred = new Map<string, string[]>();
  const problems: { path: string; message: string }[] = [];
  definition.steps.forEach((step, index) => {
    const references = stepReferences(step).filter((id) => id !== step.id && position.has(id));
    const all = [...new Set([...step.needs, ...references])];
    for (const need of all) {
      if (!position.has(need))
        problems.push({ path: `steps[${index}].needs`, message: `unknown step "${need}"` });
    }
    dependencies.set(
      step.id,
      all.filter((id) => position.has(id)).sort((a, b) => position.get(a)! - position.get(b)!),
    );
    inferred.set(
      step.id,
      references.filter((id) => !step.needs.includes(id)),
    );
  });
  const cycle = findCycle(ids, dependencies);
  if (cycle !== undefined) problems.push({ path: 'steps', message: cycleMessage(cycle) });
  if (problems.length > 0) throw definitionError(problems);
  return buildDag(definition, topologicalOrder(ids, dependencies), dependencies, inferred);
}

export function cycleMessage(cycle: readonly string[]): string {
  return `steps ${cycle.join(' → ')} form a cycle: remove one of these needs or references`;
}

function buildDag(
  definition: WorkflowDefinition,
  order: readonly string[],
  dependencies: ReadonlyMap<string, string[]>,
  inferred: ReadonlyMap<string, string[]>,
): WorkflowDag {
  const steps = new Map(definition.steps.map((step) => [step.id, step]));
  const byId = new Map<string, DagNode>();
  for (const id of order) {
    const needs = dependencies.get(id)!;
    const depth = needs.length === 0 ? 0 : Math.max(...needs.map((need) => byId.get(need)!.depth)) + 1;
    byId.set(id, {
      id,
      step: steps.get(id)!,
      needs,
      inferredNeeds: inferred.get(id)!,
      dependents: [],
      depth,
    });
  }
  for (const step of definition.steps) {
    for (const need of dependencies.get(step.id)!) byId.get(need)!.dependents.push(step.id);
  }
  const nodes = order.map((id) => byId.get(id)!);
  return {
    nodes,
    order: [...order],
    dependencies: Object.fromEntries(nodes.map((node) => [node.id, [...node.needs]])),
    byId,
    roots: nodes.filter((node) => node.needs.length === 0).map((node) => node.id),
  };
}
