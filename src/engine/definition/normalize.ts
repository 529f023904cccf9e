import { normalizeCron } from './cron.js';
import { parseDuration } from './duration.js';
import { bareExpression } from './expression/template-values.js';
import type { InputDocument, StepDocument, TriggersDocument, WorkflowDocument } from './schema.js';
import type {
  InputDefinition,
  SourcePosition,
  StepDefinition,
  TriggerDefinition,
  WorkflowDefinition,
} from './types.js';
import type { DocumentPath } from './yaml-source.js';

/**
 * The validated document in the engine's shape: durations in milliseconds, `needs` as a list,
 * conditions and `forEach` as bare CEL, triggers as a flat list, cron macros expanded.
 */
export function toDefinition(
  document: WorkflowDocument,
  positionOf: (path: DocumentPath) => SourcePosition | undefined = () => undefined,
): WorkflowDefinition {
  return {
    apiVersion: document.apiVersion,
    kind: document.kind,
    name: document.name,
    ...(document.description === undefined ? {} : { description: document.description }),
    inputs: Object.fromEntries(
      Object.entries(document.inputs).map(([name, input]) => [name, toInput(input)]),
    ),
    on: toTriggers(document.on),
    env: document.env,
    steps: document.steps.map((step, index) => toStep(step, positionOf(['steps', index]))),
    outputs: document.outputs,
    ...(document.timeout === undefined ? {} : { timeoutMs: milliseconds(document.timeout) }),
  };
}

function toInput(input: InputDocument): InputDefinition {
  return {
    type: input.type,
    ...(input.description === undefined ? {} : { description: input.description }),
    ...(input.default === undefined ? {} : { default: input.default }),
    required: input.required,
    ...(input.enum === undefined ? {} : { enum: input.enum }),
  };
}

function toStep(step: StepDocument, position: SourcePosition | undefined): StepDefinition {
  const needs = step.needs === undefined ? [] : typeof step.needs === 'string' ? [step.needs] : step.needs;
  return {
    id: step.id,
    ...(step.name === undefined ? {} : { name: step.name }),
    uses: step.uses,
    with: step.with,
    ...(step.if === undefined ? {} : { if: celText(String(step.if)) }),
    needs: [...new Set(needs)],
    ...(step.forEach === undefined ? {} : { forEach: celText(step.forEach) }),
    ...(step.maxParallel === undefined ? {} : { maxParallel: step.maxParallel }),
    ...(step.retry === undefined
      ? {}
      : {
          retry: {
            attempts: step.retry.attempts,
            backoff: step.retry.backoff,
            initialMs: milliseconds(step.retry.initial),
            ...(step.retry.max === undefined ? {} : { maxMs: milliseconds(step.retry.max) }),
          },
        }),
    ...(step.timeout === undefined ? {} : { timeoutMs: milliseconds(step.timeout) }),
    continueOnError: step.continueOnError,
    env: step.env,
    ...(position === undefined ? {} : { position }),
  };
}

function toTriggers(on: WorkflowDocument['on']): TriggerDefinition[] {
  if (on === undefined || on === 'manual') return [{ type: 'manual' }];
  const triggers: TriggerDefinition[] = [];
  if (Object.hasOwn(on, 'manual')) triggers.push({ type: 'manual' });
  for (const schedule of list(on.schedule)) {
    triggers.push({
      type: 'schedule',
      cron: normalizeCron(schedule.cron),
      timezone: schedule.timezone,
      ...(schedule.inputs === undefined ? {} : { inputs: schedule.inputs }),
    });
  }
  for (const event of ['push', 'delete'] as const) {
    for (const filter of list(on.registry?.[event])) {
      triggers.push({
        type: 'registry',
        event,
        repository: filter.repository,
        ...(filter.tag === undefined ? {} : { tag: filter.tag }),
      });
    }
  }
  const completed = (on as TriggersDocument).workflow?.completed;
  if (completed !== undefined) {
    triggers.push({
      type: 'workflow',
      event: 'completed',
      workflows: completed.workflows,
      conclusion: completed.conclusion,
    });
  }
  return triggers;
}

function list<T>(value: T | T[] | undefined): T[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

/** Bare CEL of a validated one-expression field. */
function celText(text: string): string {
  return bareExpression(text)?.text ?? text;
}

function milliseconds(duration: string): number {
  return parseDuration(duration)!;
}
