import { stringify } from 'yaml';
import { formatDuration } from './duration.js';
import type { StepDefinition, TriggerDefinition, TemplatedValue, WorkflowDefinition } from './types.js';

/**
 * A definition as a workflow file, in the order people write them; `parseWorkflow` reads it
 * back to the same definition (source positions aside). Defaults are left out.
 */
export function formatWorkflow(definition: WorkflowDefinition): string {
  const document: Record<string, unknown> = {
    apiVersion: definition.apiVersion,
    kind: definition.kind,
    name: definition.name,
    ...(definition.description === undefined ? {} : { description: definition.description }),
    on: formatTriggers(definition.on),
    ...(isEmpty(definition.inputs) ? {} : { inputs: definition.inputs }),
    ...(isEmpty(definition.env) ? {} : { env: definition.env }),
    ...(definition.timeoutMs === undefined ? {} : { timeout: formatDuration(definition.timeoutMs) }),
    steps: definition.steps.map(formatStep),
    ...(isEmpty(definition.outputs) ? {} : { outputs: definition.outputs }),
  };
  return stringify(document, { lineWidth: 0 });
}

function formatStep(step: StepDefinition): Record<string, unknown> {
  return {
    id: step.id,
    ...(step.name === undefined ? {} : { name: step.name }),
    uses: step.uses,
    ...(step.needs.length === 0 ? {} : { needs: step.needs }),
    ...(step.if === undefined ? {} : { if: step.if }),
    ...(step.forEach === undefined ? {} : { forEach: step.forEach }),
    ...(step.maxParallel === undefined ? {} : { maxParallel: step.maxParallel }),
    ...(isEmpty(step.with) ? {} : { with: step.with }),
    ...(isEmpty(step.env) ? {} : { env: step.env }),
    ...(step.retry === undefined
      ? {}
      : {
          retry: {
            attempts: step.retry.attempts,
            backoff: step.retry.backoff,
            initial: formatDuration(step.retry.initialMs),
            ...(step.retry.maxMs === undefined ? {} : { max: formatDuration(step.retry.maxMs) }),
          },
        }),
    ...(step.timeoutMs === undefined ? {} : { timeout: formatDuration(step.timeoutMs) }),
    ...(step.continueOnError ? { continueOnError: true } : {}),
  };
}

function formatTriggers(triggers: readonly TriggerDefinition[]): Record<string, unknown> {
  const on: Record<string, unknown> = {};
  const schedules: Record<string, unknown>[] = [];
  const registry: Record<'push' | 'delete', Record<string, unknown>[]> = { push: [], delete: [] };
  let workflow: Record<string, unknown> | undefined;
  for (const trigger of triggers) {
    switch (trigger.type) {
      case 'manual':
        on.manual = {};
        break;
      case 'schedule':
        schedules.push({
          cron: trigger.cron,
          timezone: trigger.timezone,
          ...(trigger.inputs ? { inputs: trigger.inputs } : {}),
        });
        break;
      case 'registry':
        registry[trigger.event].push({
          repository: trigger.repository,
          ...(trigger.tag ? { tag: trigger.tag } : {}),
        });
        break;
      case 'workflow':
        workflow = {
          completed: { workflows: trigger.workflows, conclusion: trigger.conclusion ?? 'success' },
        };
        break;
    }
  }
  if (schedules.length > 0) on.schedule = oneOrList(schedules);
  const events = Object.entries(registry).filter(([, filters]) => filters.length > 0);
  if (events.length > 0)
    on.registry = Object.fromEntries(events.map(([event, filters]) => [event, oneOrList(filters)]));
  if (workflow !== undefined) on.workflow = workflow;
  return on;
}

function oneOrList<T>(items: T[]): T | T[] {
  return items.length === 1 ? items[0]! : items;
}

function isEmpty(record: Readonly<Record<string, TemplatedValue | object>>): boolean {
  return Object.keys(record).length === 0;
}
