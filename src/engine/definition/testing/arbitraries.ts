import fc from 'fast-check';
import type {
  InputDefinition,
  StepDefinition,
  TemplatedValue,
  TriggerDefinition,
  WorkflowDefinition,
} from '../types.js';

/**
 * Valid workflow definitions, as parseWorkflow produces them (defaults filled in, canonical
 * trigger order), for round-trip properties.
 */

const identifier = fc
  .stringMatching(/^[a-z_][a-z0-9_]{0,8}$/)
  .filter((id) => !['in', 'if', 'for', 'var', 'let', 'as'].includes(id));
const text = fc.string({ maxLength: 20 }).filter((value) => !value.includes('${{'));
const number = fc
  .double({ noNaN: true, noDefaultInfinity: true })
  .map((value) => (Object.is(value, -0) ? 0 : value));

const json: fc.Arbitrary<TemplatedValue> = fc.letrec<{ value: TemplatedValue }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    text,
    number,
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('value'), { maxLength: 3 }),
    fc.dictionary(
      text.filter((key) => key !== '__proto__'),
      tie('value'),
      { maxKeys: 3 },
    ),
  ),
})).value;

const input: fc.Arbitrary<InputDefinition> = fc
  .oneof(
    fc.record({ type: fc.constant('string' as const), default: fc.option(text, { nil: undefined }) }),
    fc.record({ type: fc.constant('number' as const), default: fc.option(number, { nil: undefined }) }),
    fc.record({
      type: fc.constant('boolean' as const),
      default: fc.option(fc.boolean(), { nil: undefined }),
    }),
    fc.record({
      type: fc.constant('array' as const),
      default: fc.option(fc.array(json, { maxLength: 2 }), { nil: undefined }),
    }),
  )
  .chain((base) =>
    fc
      .record({
        required: base.default === undefined ? fc.constant(false) : fc.boolean(),
        description: fc.option(text, { nil: undefined }),
      })
      .map(({ required, description }) => {
        const definition: InputDefinition = { type: base.type, required };
        if (description !== undefined) definition.description = description;
        if (base.default !== undefined) definition.default = base.default;
        return definition;
      }),
  );

const duration = fc.integer({ min: 1, max: 30 * 86_400_000 });

function stepAt(index: number, earlier: readonly string[]): fc.Arbitrary<StepDefinition> {
  const reference =
    earlier.length === 0
      ? fc.constant(undefined)
      : fc.option(fc.constantFrom(...earlier), { nil: undefined });
  return fc
    .record({
      name: fc.option(text, { nil: undefined }),
      uses: fc.constantFrom('oci/copy@v1', 'oci/list-tags@v1', 'exec@v2', 'approval@v1'),
      with: fc.dictionary(identifier, json, { maxKeys: 3 }),
      needs: earlier.length === 0 ? fc.constant<string[]>([]) : fc.subarray([...earlier]),
      reads: reference,
      condition: fc.option(fc.constantFrom('true', 'run.attempt > 1'), { nil: undefined }),
      fanOut: fc.option(
        fc.record({ maxParallel: fc.option(fc.integer({ min: 1, max: 50 }), { nil: undefined }) }),
        { nil: undefined },
      ),
      retry: fc.option(
        fc.record({
          attempts: fc.integer({ min: 1, max: 10 }),
          backoff: fc.constantFrom('fixed' as const, 'exponential' as const),
          initialMs: duration,
          extraMs: fc.option(duration, { nil: undefined }),
        }),
        { nil: undefined },
      ),
      timeoutMs: fc.option(duration, { nil: undefined }),
      continueOnError: fc.boolean(),
      env: fc.dictionary(fc.stringMatching(/^[A-Z_][A-Z0-9_]{0,6}$/), text, { maxKeys: 2 }),
    })
    .map((raw) => {
      const step: StepDefinition = {
        id: `s${index}`,
        uses: raw.uses,
        // approval@v1's literal inputs are checked against its own schema.
        with: raw.uses === 'approval@v1' ? { approvers: ['role:approver'], timeout: '1h' } : raw.with,
        needs: raw.needs,
        continueOnError: raw.continueOnError,
        env: raw.env,
      };
      if (raw.name !== undefined) step.name = raw.name;
      if (raw.reads !== undefined)
        step.with = { ...step.with, ref: `\${{ steps.${raw.reads}.outputs.value }}` };
      if (raw.condition !== undefined) step.if = raw.condition;
      if (raw.fanOut !== undefined) {
        step.forEach = '[1, 2, 3]';
        if (raw.fanOut.maxParallel !== undefined) step.maxParallel = raw.fanOut.maxParallel;
      }
      if (raw.retry !== undefined) {
        const { attempts, backoff, initialMs, extraMs } = raw.retry;
        step.retry = {
          attempts,
          backoff,
          initialMs,
          ...(extraMs === undefined ? {} : { maxMs: initialMs + extraMs }),
        };
      }
      if (raw.timeoutMs !== undefined) step.timeoutMs = raw.timeoutMs;
      return step;
    });
}

const steps: fc.Arbitrary<StepDefinition[]> = fc.integer({ min: 1, max: 5 }).chain((count) => {
  let chain: fc.Arbitrary<StepDefinition[]> = fc.constant([]);
  for (let index = 0; index < count; index++) {
    chain = chain.chain((done) =>
      stepAt(
        index,
        done.map((step) => step.id),
      ).map((step) => [...done, step]),
    );
  }
  return chain;
});

const triggers: fc.Arbitrary<TriggerDefinition[]> = fc
  .record({
    manual: fc.boolean(),
    schedules: fc.array(
      fc.record({
        cron: fc.constantFrom('0 6 * * *', '*/5 * * * 1-5', '0 0 1 1 *'),
        timezone: fc.constantFrom('UTC', 'Europe/Berlin'),
      }),
      { maxLength: 2 },
    ),
    pushes: fc.array(
      fc.record({
        repository: fc.constantFrom('quarantine/**', 'library/node'),
        tag: fc.option(fc.constantFrom('v1.*', 'latest'), { nil: undefined }),
      }),
      { maxLength: 2 },
    ),
    completed: fc.option(
      fc.record({
        workflows: fc.constant<string[]>(['upstream']),
        conclusion: fc.constantFrom('success' as const, 'failure' as const, 'any' as const),
      }),
      { nil: undefined },
    ),
  })
  .map(({ manual, schedules, pushes, completed }) => {
    const list: TriggerDefinition[] = manual ? [{ type: 'manual' }] : [];
    for (const schedule of schedules) list.push({ type: 'schedule', ...schedule });
    for (const push of pushes)
      list.push({
        type: 'registry',
        event: 'push',
        repository: push.repository,
        ...(push.tag ? { tag: push.tag } : {}),
      });
    if (completed !== undefined) list.push({ type: 'workflow', event: 'completed', ...completed });
    return list.length === 0 ? [{ type: 'manual' as const }] : list;
  });

export const workflowDefinitions: fc.Arbitrary<WorkflowDefinition> = fc
  .record({
    name: fc.constantFrom('mirror', 'mirror-and-gate', 'nightly.scan', 'a1'),
    description: fc.option(text, { nil: undefined }),
    inputs: fc.dictionary(identifier, input, { maxKeys: 3 }),
    on: triggers,
    env: fc.dictionary(fc.stringMatching(/^[A-Z_][A-Z0-9_]{0,6}$/), text, { maxKeys: 2 }),
    steps,
    outputs: fc.dictionary(identifier, text, { maxKeys: 2 }),
    timeoutMs: fc.option(duration, { nil: undefined }),
  })
  .map((raw) => {
    const definition: WorkflowDefinition = {
      apiVersion: 'airlock.dev/v1',
      kind: 'Workflow',
      name: raw.name,
      inputs: raw.inputs,
      on: raw.on,
      env: raw.env,
      steps: raw.steps,
      outputs: raw.outputs,
    };
    if (raw.description !== undefined) definition.description = raw.description;
    if (raw.timeoutMs !== undefined) definition.timeoutMs = raw.timeoutMs;
    return definition;
  });
