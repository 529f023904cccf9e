import { z } from 'zod';
import { cronProblems } from './cron.js';
import { DURATION_PATTERN, durationProblem } from './duration.js';
import { REPOSITORY_GLOB_PATTERN, TAG_GLOB_PATTERN, repositoryGlobProblem, tagGlobProblem } from './glob.js';
import {
  ENV_NAME_PATTERN,
  IDENTIFIER_PATTERN,
  USES_PATTERN,
  WORKFLOW_NAME_PATTERN,
  identifierProblem,
  usesProblem,
  workflowNameProblem,
} from './names.js';
import { timeZoneProblem } from './time-zone.js';
import type { TemplatedValue } from './types.js';

/**
 * The workflow file format (`apiVersion: airlock.dev/v1`, `kind: Workflow`) as one zod schema:
 * the source of validation, of the document's TypeScript type and of the published JSON Schema
 * (docs/schemas/workflow.schema.json). Messages of format checks are written here, next to the
 * rule they explain; structural messages (wrong type, unknown key) come from `zod-issues.ts`.
 */

type IssueInput = { input?: unknown };

/** A message for a value that is present; undefined defers to the generic "required" message. */
const when = (message: (value: string) => string | undefined) => (issue: IssueInput) =>
  typeof issue.input === 'string' ? message(issue.input) : undefined;

/** Adds one issue per message of `problems` (checks that produce several reasons). */
function refineWith(problems: (value: string) => (string | undefined)[]) {
  return (value: string, ctx: z.RefinementCtx) => {
    for (const message of problems(value))
      if (message !== undefined) ctx.addIssue({ code: 'custom', message });
  };
}

const required = (hint: string) => (issue: IssueInput) => (issue.input === undefined ? hint : undefined);

export const templatedValueSchema: z.ZodType<TemplatedValue> = z
  .lazy(() =>
    z.union([
      z.string(),
      z.number(),
      z.boolean(),
      z.null(),
      z.array(templatedValueSchema),
      z.record(z.string(), templatedValueSchema),
    ]),
  )
  .meta({
    id: 'TemplatedValue',
    description: 'Any YAML/JSON value; strings may contain ${{ … }} CEL expressions.',
  });

const templatedRecord = (keys: z.ZodString) => z.record(keys, templatedValueSchema);

const identifier = (what: string, requiredHint?: string) =>
  z
    .string(requiredHint === undefined ? undefined : { error: required(requiredHint) })
    .regex(new RegExp(IDENTIFIER_PATTERN), { error: when((value) => identifierProblem(value, what)) });

const reservedWordFree = (what: string) => refineWith((value) => [identifierProblem(value, what)]);

const stepId = identifier(
  'step id',
  'required: every step has an id (expressions read steps.<id>.outputs)',
).superRefine(reservedWordFree('step id'));
const inputName = identifier('input name').superRefine(reservedWordFree('input name'));
const outputName = identifier('output name').superRefine(reservedWordFree('output name'));
const envName = z.string().regex(new RegExp(ENV_NAME_PATTERN), {
  error: when(
    (value) => `invalid variable name "${value}": use letters, digits and _, not starting with a digit`,
  ),
});

const workflowName = z
  .string({ error: required('required: name the workflow, e.g. name: mirror') })
  .regex(new RegExp(WORKFLOW_NAME_PATTERN), { error: when(workflowNameProblem) });

export const durationSchema = z
  .string()
  .regex(new RegExp(DURATION_PATTERN), { error: when(durationProblem) })
  .superRefine(
    refineWith((value) => [new RegExp(DURATION_PATTERN).test(value) ? durationProblem(value) : undefined]),
  )
  .meta({ description: 'A duration: 500ms, 5s, 10m, 72h, 2d, or combined as 1h30m.' });

const inputSchema = z
  .strictObject({
    type: z.enum(['string', 'number', 'boolean', 'object', 'array']).default('string'),
    description: z.string().optional(),
    default: templatedValueSchema.optional().describe('Used when the run does not provide the input.'),
    required: z
      .boolean()
      .default(false)
      .describe('A run must provide the input (or it must have a default).'),
    enum: z
      .array(z.union([z.string(), z.number()]))
      .min(1)
      .optional()
      .describe('The values allowed (strings or numbers).'),
  })
  .describe('A typed input, as `airlock run --input name=value` or the API provides it.');

const scheduleSchema = z
  .strictObject({
    cron: z
      .string({ error: required('required: a cron schedule such as "0 6 * * *"') })
      .superRefine(refineWith(cronProblems))
      .describe(
        'Five fields: minute hour day-of-month month day-of-week (a sixth, leading field gives seconds); or @hourly, @daily, @weekly, @monthly.',
      ),
    timezone: z
      .string()
      .superRefine(refineWith((value) => [timeZoneProblem(value)]))
      .default('UTC')
      .describe('IANA time zone the schedule is read in.'),
    inputs: templatedRecord(inputName).optional().describe('Inputs of the runs this schedule starts.'),
  })
  .describe('Start a run at each tick of a cron schedule (once per tick across all workers).');

const repositoryGlob = z
  .string()
  .regex(new RegExp(REPOSITORY_GLOB_PATTERN), { error: when(repositoryGlobProblem) })
  .superRefine(
    refineWith((value) => [
      new RegExp(REPOSITORY_GLOB_PATTERN).test(value) ? repositoryGlobProblem(value) : undefined,
    ]),
  );

const registryEventSchema = z.strictObject({
  repository: repositoryGlob
    .default('**')
    .describe('Repositories, as a glob: quarantine/** or library/node.'),
  tag: z
    .string()
    .regex(new RegExp(TAG_GLOB_PATTERN), { error: when(tagGlobProblem) })
    .optional()
    .describe('Tags, as a glob: v1.*; any tag when absent.'),
});

/** One object, or a list of them (`schedule: {…}` or `schedule: [{…}, {…}]`). */
const oneOrMany = <T extends z.ZodType>(schema: T) => z.union([schema, z.array(schema).min(1)]);

const triggersSchema = z
  .strictObject({
    manual: z
      .union([z.null(), z.strictObject({})])
      .optional()
      .describe('Runs may be started by hand (API, CLI, UI).'),
    schedule: oneOrMany(scheduleSchema).optional(),
    registry: z
      .strictObject({
        push: oneOrMany(registryEventSchema).optional().describe('A manifest was pushed.'),
        delete: oneOrMany(registryEventSchema).optional().describe('A manifest was deleted.'),
      })
      .optional()
      .describe('Registry events: the built-in registry, CNCF distribution notifications, Harbor webhooks.'),
    workflow: z
      .strictObject({
        completed: z.strictObject({
          workflows: z.array(workflowName).min(1).describe('Names of the workflows to follow.'),
          conclusion: z.enum(['success', 'failure', 'any']).default('success'),
        }),
      })
      .optional()
      .describe('Another workflow finished.'),
  })
  .describe('What starts runs; `manual` when absent.');

const retrySchema = z
  .strictObject({
    attempts: z.int().min(1).max(100).describe('Total attempts, including the first.'),
    backoff: z.enum(['fixed', 'exponential']).default('exponential'),
    initial: durationSchema.default('5s').describe('Delay before the second attempt.'),
    max: durationSchema.optional().describe('Longest delay between attempts.'),
  })
  .describe('Retries of failures the action reports as retryable.');

const stepSchema = z
  .strictObject({
    id: stepId.describe('Unique within the workflow; expressions refer to steps.<id>.outputs.'),
    name: z.string().optional().describe('A human-readable name for logs and the UI.'),
    uses: z
      .string({ error: required('required: name the action to run, e.g. uses: oci/copy@v1') })
      .regex(new RegExp(USES_PATTERN), { error: when(usesProblem) })
      .describe('The action: <action>@<version>, e.g. oci/copy@v1.'),
    with: templatedRecord(z.string()).default({}).describe("The action's input."),
    if: z
      .union([z.string(), z.boolean()])
      .optional()
      .describe('A CEL condition, with or without ${{ }}; the step is skipped when it is false.'),
    needs: z
      .union([stepId, z.array(stepId)])
      .optional()
      .describe('Steps that must finish first (besides the steps its expressions refer to).'),
    forEach: z
      .string()
      .optional()
      .describe('A CEL expression yielding a list: the step runs once per item (item, index).'),
    maxParallel: z.int().min(1).max(1000).optional().describe('How many forEach items run at once.'),
    retry: retrySchema.optional(),
    timeout: durationSchema.optional().describe('Time limit of each attempt.'),
    continueOnError: z.boolean().default(false).describe('A failure of this step does not fail the run.'),
    env: templatedRecord(envName).default({}).describe('Environment of exec actions; env in expressions.'),
  })
  .describe('One action invocation.');

export const workflowDocumentSchema = z
  .strictObject({
    apiVersion: z.literal('airlock.dev/v1', {
      error: (issue) =>
        issue.input === undefined
          ? 'required: write apiVersion: airlock.dev/v1'
          : `unsupported apiVersion ${JSON.stringify(issue.input)}: this Airlock reads airlock.dev/v1`,
    }),
    kind: z.literal('Workflow', {
      error: (issue) =>
        issue.input === undefined
          ? 'required: write kind: Workflow'
          : `kind ${JSON.stringify(issue.input)} is not a workflow: workflow files have kind: Workflow`,
    }),
    name: workflowName.describe('Unique name; new versions are applied under the same name.'),
    description: z.string().optional(),
    inputs: z.record(inputName, inputSchema).default({}),
    on: z.union([z.literal('manual'), triggersSchema]).optional(),
    env: templatedRecord(envName).default({}).describe('Environment of every step.'),
    steps: z
      .array(stepSchema, { error: required('required: a workflow has at least one step') })
      .min(1)
      .describe('Steps in file order; needs and references to steps.<id> order them.'),
    outputs: templatedRecord(outputName)
      .default({})
      .describe('Run outputs, usually from steps.<id>.outputs.'),
    timeout: durationSchema.optional().describe('Default time limit of each step attempt.'),
  })
  .meta({
    title: 'Airlock workflow',
    description: 'A durable workflow of actions (apiVersion airlock.dev/v1, kind Workflow).',
  });

/** The document as written, after defaults. */
export type WorkflowDocument = z.output<typeof workflowDocumentSchema>;
export type StepDocument = z.output<typeof stepSchema>;
export type TriggersDocument = z.output<typeof triggersSchema>;
export type InputDocument = z.output<typeof inputSchema>;
