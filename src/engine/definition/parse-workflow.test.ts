import { describe, expect, it } from 'vitest';
import { parseWorkflow } from './parse-workflow.js';
import { problems, workflow } from './testing/problems.js';
import { DESIGN_SAMPLE, SAMPLE_ACTIONS } from './testing/samples.js';

describe('parseWorkflow: the design sample', () => {
  it('parses without problems, with every action known', () => {
    const definition = parseWorkflow(DESIGN_SAMPLE, { file: 'mirror.yaml', knownActions: SAMPLE_ACTIONS });
    expect(definition.name).toBe('mirror-and-gate');
    expect(definition.on).toEqual([
      { type: 'schedule', cron: '0 6 * * *', timezone: 'UTC' },
      { type: 'registry', event: 'push', repository: 'quarantine/**' },
    ]);
    expect(definition.inputs).toEqual({
      repository: { type: 'string', default: 'docker.io/library/node', required: false },
    });
    expect(definition.steps.map((step) => step.id)).toEqual(['tags', 'mirror', 'scan', 'approve']);
    const [, mirror, scan, approve] = definition.steps;
    expect(mirror).toMatchObject({
      forEach: 'steps.tags.outputs.tags',
      maxParallel: 4,
      retry: { attempts: 4, backoff: 'exponential', initialMs: 5000 },
      needs: [],
      continueOnError: false,
      position: { line: 13, column: 5 },
    });
    expect(scan!.needs).toEqual(['mirror']);
    expect(approve!.if).toBe('steps.scan.outputs.results.exists(r, size(r.blocking) > 0)');
    expect(approve!.with).toEqual({ approvers: ['role:approver'], timeout: '72h', onTimeout: 'deny' });
  });
});

describe('parseWorkflow: YAML and document shape', () => {
  it('reports YAML syntax errors with the parser positions', () => {
    expect(problems(workflow('steps:\n  - id: a\n   uses: x@v1\n'))).toEqual([
      'mirror.yaml:6:1: Sequence item without - indicator',
    ]);
    expect(problems(workflow('steps: [\n'))).toEqual(
      expect.arrayContaining([expect.stringMatching(/^mirror\.yaml:\d+:\d+: /)]),
    );
  });

  it('reports duplicate keys', () => {
    expect(problems(workflow('steps: []\nsteps: []\n'))).toEqual([
      'mirror.yaml:5:1: Map keys must be unique: each key may appear once',
    ]);
  });

  it('refuses several documents and empty files', () => {
    expect(problems(`${workflow('steps: []\n')}---\n${workflow('steps: []\n')}`)[0]).toBe(
      'mirror.yaml:5:1: a workflow file holds one YAML document: put each --- document in its own file',
    );
    expect(problems('')).toEqual([
      'mirror.yaml: a workflow starts with apiVersion: airlock.dev/v1, kind: Workflow, name and steps',
    ]);
    expect(problems('- a\n- b\n')).toEqual([
      'mirror.yaml:1:1: expected a mapping; a workflow starts with apiVersion: airlock.dev/v1, kind: Workflow, name and steps',
    ]);
  });

  it('reports wrong or missing apiVersion and kind, and every other problem with them', () => {
    expect(problems('apiVersion: airlock.dev/v2\nkind: Config\nname: wf\nsteps: []\n')).toEqual([
      'mirror.yaml:1:13: apiVersion: unsupported apiVersion "airlock.dev/v2": this Airlock reads airlock.dev/v1',
      'mirror.yaml:2:7: kind: kind "Config" is not a workflow: workflow files have kind: Workflow',
      'mirror.yaml:4:8: steps: needs at least 1 item',
    ]);
    expect(problems('name: wf\n')).toEqual([
      'mirror.yaml:1:1: apiVersion: required: write apiVersion: airlock.dev/v1',
      'mirror.yaml:1:1: kind: required: write kind: Workflow',
      'mirror.yaml:1:1: steps: required: a workflow has at least one step',
    ]);
  });

  it('names unknown keys and suggests the nearest valid one', () => {
    expect(
      problems(
        workflow(
          'stpes: []\nsteps:\n  - id: a\n    uses: x@v1\n    nedds: [b]\n    runs-on: linux\n    with: {}\n',
        ),
      ),
    ).toEqual([
      'mirror.yaml:4:1: stpes: unknown key "stpes": did you mean steps?',
      'mirror.yaml:8:5: steps[0].nedds: unknown key "nedds": did you mean needs?',
      'mirror.yaml:9:5: steps[0].runs-on: unknown key "runs-on": Airlock has no runners: remove it',
    ]);
    expect(
      problems(workflow('on:\n  workflow_dispatch: {}\n  scheduel: {}\nsteps: [{ id: a, uses: x@v1 }]\n')),
    ).toEqual([
      'mirror.yaml:5:3: on.workflow_dispatch: unknown key "workflow_dispatch": manual starts are written manual',
      'mirror.yaml:6:3: on.scheduel: unknown key "scheduel": did you mean schedule?',
    ]);
    expect(problems(workflow('steps: [{ id: a, uses: x@v1, zzz: 1 }]\n'))[0]).toBe(
      'mirror.yaml:4:30: steps[0].zzz: unknown key "zzz": expected one of id, name, uses, with, if, needs, forEach, maxParallel, retry, timeout, continueOnError, env',
    );
  });

  it('says which type was expected and what was found', () => {
    expect(
      problems(workflow('steps:\n  - id: a\n    uses: 3\n    with: [1]\n    needs: 7\n    if: 1\n')),
    ).toEqual([
      'mirror.yaml:6:11: steps[0].uses: expected a string, found a number (3)',
      'mirror.yaml:7:11: steps[0].with: expected a mapping, found a list',
      'mirror.yaml:8:12: steps[0].needs: expected a string or a list, found a number (7)',
      'mirror.yaml:9:9: steps[0].if: expected a string or a boolean, found a number (1)',
    ]);
    expect(problems(workflow('on: always\nsteps: [{ id: a, uses: x@v1 }]\n'))).toEqual([
      'mirror.yaml:4:5: on: expected "manual" or a mapping, found a string ("always")',
    ]);
  });
});

describe('parseWorkflow: steps', () => {
  it('explains uses without a version and malformed action references', () => {
    expect(
      problems(
        workflow(
          'steps:\n  - id: a\n    uses: oci/copy\n  - id: b\n    uses: OCI/Copy@v1\n  - id: c\n    uses: "oci copy"\n',
        ),
      ),
    ).toEqual([
      'mirror.yaml:6:11: steps[0].uses: "oci/copy" needs a version: write oci/copy@v1',
      'mirror.yaml:8:11: steps[1].uses: "OCI/Copy@v1" is not an action reference: action names are lower-case, e.g. oci/copy@v1',
      'mirror.yaml:10:11: steps[2].uses: "oci copy" is not an action reference: write <action>@<version>, e.g. oci/copy@v1',
    ]);
  });

  it('reports unknown actions, with the versions that exist or the nearest name', () => {
    const source = workflow(
      'steps:\n  - id: a\n    uses: oci/copy@v2\n  - id: b\n    uses: oci/cpy@v1\n  - id: c\n    uses: x/y@v1\n',
    );
    expect(
      problems(source, { file: 'mirror.yaml', knownActions: ['oci/copy@v1', 'oci/list-tags@v1'] }),
    ).toEqual([
      'mirror.yaml:6:11: steps[0].uses: action oci/copy has no version "v2": use oci/copy@v1',
      'mirror.yaml:8:11: steps[1].uses: unknown action "oci/cpy@v1": did you mean oci/copy@v1?',
      'mirror.yaml:10:11: steps[2].uses: unknown action "x/y@v1"',
    ]);
    expect(problems(source, { file: 'mirror.yaml', knownActions: (uses) => uses === 'oci/copy@v2' })).toEqual(
      [
        'mirror.yaml:8:11: steps[1].uses: unknown action "oci/cpy@v1"',
        'mirror.yaml:10:11: steps[2].uses: unknown action "x/y@v1"',
      ],
    );
  });

  it('reports invalid and duplicate ids', () => {
    expect(
      problems(
        workflow(
          'steps:\n  - id: list-tags\n    uses: x@v1\n  - id: a\n    uses: x@v1\n  - id: a\n    uses: x@v1\n  - id: in\n    uses: x@v1\n',
        ),
      ),
    ).toEqual([
      'mirror.yaml:5:9: steps[0].id: invalid step id "list-tags": use letters, digits and _ (not starting with a digit; expressions read - as minus), e.g. list_tags',
      'mirror.yaml:9:9: steps[2].id: duplicate step id "a" (first used at line 7)',
      'mirror.yaml:11:9: steps[3].id: step id "in" is a reserved word in expressions: choose another',
    ]);
    expect(problems(workflow('steps:\n  - uses: x@v1\n'))).toEqual([
      'mirror.yaml:5:5: steps[0].id: required: every step has an id (expressions read steps.<id>.outputs)',
    ]);
    expect(problems('apiVersion: airlock.dev/v1\nkind: Workflow\nsteps: [{ id: a, uses: x@v1 }]\n')).toEqual([
      'mirror.yaml:1:1: name: required: name the workflow, e.g. name: mirror',
    ]);
  });

  it('reports needs that name no step, and a step needing itself', () => {
    expect(
      problems(
        workflow(
          'steps:\n  - id: tags\n    uses: x@v1\n  - id: b\n    uses: x@v1\n    needs: [tgas, b, nope]\n',
        ),
      ),
    ).toEqual([
      'mirror.yaml:9:13: steps[1].needs[0]: unknown step "tgas": did you mean tags?',
      'mirror.yaml:9:19: steps[1].needs[1]: step "b" cannot need itself',
      'mirror.yaml:9:22: steps[1].needs[2]: unknown step "nope"',
    ]);
  });

  it('names dependency cycles, through needs and through references', () => {
    expect(
      problems(
        workflow(
          'steps:\n  - id: a\n    uses: x@v1\n    needs: c\n  - id: b\n    uses: x@v1\n    needs: a\n  - id: c\n    uses: x@v1\n    with: { v: "${{ steps.b.outputs.v }}" }\n',
        ),
      ),
    ).toEqual([
      'mirror.yaml:7:12: steps[0].needs: steps a → c → b → a form a cycle: remove one of these needs or references',
    ]);
  });

  it('checks durations, retry and maxParallel', () => {
    expect(
      problems(
        workflow(
          'timeout: 0s\nsteps:\n  - id: a\n    uses: x@v1\n    timeout: 10 minutes\n    maxParallel: 0\n    retry: { attempts: 3, backoff: linear, initial: 10s, max: 2s }\n',
        ),
      ),
    ).toEqual([
      'mirror.yaml:4:10: timeout: "0s" is zero: a duration must be longer than 0',
      'mirror.yaml:8:14: steps[0].timeout: "10 minutes" is not a duration: write a number with a unit (ms, s, m, h, d), e.g. 500ms, 5s, 10m, 72h, 2d',
      'mirror.yaml:9:18: steps[0].maxParallel: must be at least 1',
      'mirror.yaml:9:18: steps[0].maxParallel: maxParallel limits forEach items: add forEach or remove maxParallel',
      'mirror.yaml:10:36: steps[0].retry.backoff: expected one of fixed, exponential; found a string ("linear")',
      'mirror.yaml:10:63: steps[0].retry.max: max (2s) is shorter than initial (10s)',
    ]);
  });

  it('normalizes needs, conditions, durations and defaults', () => {
    const definition = parseWorkflow(
      workflow(
        'timeout: 1h30m\nsteps:\n  - id: a\n    uses: x@v1\n    if: true\n  - id: b\n    uses: x@v1\n    needs: a\n    if: "${{ inputs.go }}"\n    timeout: 500ms\n    retry: { attempts: 2 }\n    continueOnError: true\ninputs:\n  go: { type: boolean, default: false }\n',
      ),
    );
    expect(definition.timeoutMs).toBe(5_400_000);
    expect(definition.on).toEqual([{ type: 'manual' }]);
    expect(definition.steps[0]).toMatchObject({ if: 'true', needs: [], with: {}, env: {} });
    expect(definition.steps[1]).toMatchObject({
      needs: ['a'],
      if: 'inputs.go',
      timeoutMs: 500,
      retry: { attempts: 2, backoff: 'exponential', initialMs: 5000 },
      continueOnError: true,
    });
  });
});

describe('parseWorkflow: approval steps', () => {
  it('checks the literal approval inputs when the definition is applied', () => {
    const source = workflow(
      [
        'steps:',
        '  - id: gate',
        '    uses: approval@v1',
        "    with: { approvers: 'role:approver', timeout: 2 seconds, onTimout: approve }",
        '',
      ].join('\n'),
    );
    expect(problems(source)).toEqual([
      'mirror.yaml:7:11: steps[0].with: unknown field "onTimout": approval@v1 takes approvers, message, timeout, timeoutMs, onTimeout',
      "mirror.yaml:7:24: steps[0].with.approvers: a list of approvers, e.g. ['role:approver', 'user:alice']",
      expect.stringMatching(/^mirror\.yaml:7:50: steps\[0\]\.with\.timeout: "2 seconds" is not a duration/),
    ]);
  });

  it('leaves templated values to run time', () => {
    const source = workflow(
      "inputs:\n  who: { type: string }\nsteps:\n  - { id: gate, uses: approval@v1, with: { approvers: ['${{ inputs.who }}'], timeout: 1h } }\n",
    );
    expect(problems(source)).toEqual([]);
  });
});

describe('parseWorkflow: env', () => {
  it('refuses env values that read secrets, at workflow and step level', () => {
    const source = workflow(
      "env:\n  TOKEN: '${{ secrets.token }}'\nsteps:\n  - id: a\n    uses: exec@v1\n    env: { ALL: '${{ secrets }}', OK: '${{ run.id }}' }\n",
    );
    expect(problems(source, { file: 'mirror.yaml' })).toEqual([
      expect.stringMatching(/^mirror\.yaml:5:\d+: env\.TOKEN: env values cannot read secrets/),
      expect.stringMatching(/^mirror\.yaml:9:\d+: steps\[0\]\.env\.ALL: env values cannot read secrets/),
    ]);
  });
});

describe('parseWorkflow: triggers', () => {
  it('validates cron fields, ranges, names and time zones', () => {
    expect(
      problems(
        workflow(
          "on:\n  schedule:\n    - { cron: '0 6 * *' }\n    - { cron: '60 6 * * *', timezone: Europe/Berln }\n    - { cron: '0 6 * JNA MON-FRI', timezone: mars/olympus }\n    - { cron: '*/0 5-2 * * *' }\nsteps: [{ id: a, uses: x@v1 }]\n",
        ),
      ),
    ).toEqual([
      'mirror.yaml:6:15: on.schedule[0].cron: "0 6 * *" has 4 fields; cron needs 5: minute hour day-of-month month day-of-week (or 6, with a leading second)',
      'mirror.yaml:7:15: on.schedule[1].cron: minute 60 is out of range 0-59 in "60 6 * * *"',
      'mirror.yaml:7:39: on.schedule[1].timezone: unknown time zone "Europe/Berln": did you mean Europe/Berlin?',
      'mirror.yaml:8:15: on.schedule[2].cron: month has unknown name "JNA": use JAN-DEC or 1-12 in "0 6 * JNA MON-FRI"',
      'mirror.yaml:8:46: on.schedule[2].timezone: unknown time zone "mars/olympus": use an IANA name such as Europe/Berlin or UTC',
      'mirror.yaml:9:15: on.schedule[3].cron: minute step 0 must be at least 1 in "*/0 5-2 * * *"',
      'mirror.yaml:9:15: on.schedule[3].cron: hour range 5-2 runs backwards: write 2-5 in "*/0 5-2 * * *"',
    ]);
  });

  it('normalizes triggers: macros, lists, registry filters, workflow completion', () => {
    const definition = parseWorkflow(
      workflow(
        "on:\n  manual:\n  schedule: { cron: '@daily', timezone: Europe/Berlin, inputs: { n: 2 } }\n  registry:\n    push: [{ repository: 'quarantine/**', tag: 'v1.*' }, { repository: library/node }]\n    delete: {}\n  workflow: { completed: { workflows: [mirror] } }\ninputs:\n  n: { type: number, required: true }\nsteps: [{ id: a, uses: x@v1 }]\n",
      ),
    );
    expect(definition.on).toEqual([
      { type: 'manual' },
      { type: 'schedule', cron: '0 0 * * *', timezone: 'Europe/Berlin', inputs: { n: 2 } },
      { type: 'registry', event: 'push', repository: 'quarantine/**', tag: 'v1.*' },
      { type: 'registry', event: 'push', repository: 'library/node' },
      { type: 'registry', event: 'delete', repository: '**' },
      { type: 'workflow', event: 'completed', workflows: ['mirror'], conclusion: 'success' },
    ]);
  });

  it('checks schedule inputs against the declared inputs, and self-triggering', () => {
    expect(
      problems(
        workflow(
          "on:\n  schedule: { cron: '0 6 * * *', inputs: { conut: 1, tag: 5 } }\n  workflow: { completed: { workflows: [wf] } }\ninputs:\n  count: { type: number, required: true }\n  tag: { type: string }\nsteps: [{ id: a, uses: x@v1 }]\n",
        ),
      ),
    ).toEqual([
      "mirror.yaml:5:13: on.schedule: input count is required and has no default: set it in this schedule's inputs",
      'mirror.yaml:5:51: on.schedule.inputs.conut: input conut is not declared: did you mean count?',
      "mirror.yaml:5:59: on.schedule.inputs.tag: expected a string (the input's type), found a number (5)",
      'mirror.yaml:6:40: on.workflow.completed.workflows[0]: a workflow cannot start on its own completion (wf): it would run forever',
    ]);
  });

  it('validates registry globs and requires at least one trigger', () => {
    expect(
      problems(
        workflow(
          "on:\n  registry: { push: { repository: 'Quarantine/**', tag: 'v1/*' } }\nsteps: [{ id: a, uses: x@v1 }]\n",
        ),
      ),
    ).toEqual([
      'mirror.yaml:5:35: on.registry.push.repository: "Quarantine/**" is not a repository pattern: use lower-case letters, digits, . _ - / and the wildcards *, ** and ?',
      'mirror.yaml:5:57: on.registry.push.tag: "v1/*" is not a tag pattern: use letters, digits, _ . - and the wildcards * and ?',
    ]);
    expect(problems(workflow('on: {}\nsteps: [{ id: a, uses: x@v1 }]\n'))).toEqual([
      'mirror.yaml:4:5: on: no trigger: add manual, schedule, registry or workflow (or remove on for manual starts)',
    ]);
  });
});

describe('parseWorkflow: inputs', () => {
  it('checks input types, defaults and enums', () => {
    expect(
      problems(
        workflow(
          'inputs:\n  a: { type: integer }\n  b: { type: number, default: "3" }\n  c: { type: string, enum: [x, 2], default: z }\n  d: { type: boolean, enum: [true] }\n  e-f: { type: string }\n  g: { default: "${{ run.id }}" }\nsteps: [{ id: a, uses: x@v1 }]\n',
        ),
      ),
    ).toEqual([
      'mirror.yaml:5:14: inputs.a.type: expected one of string, number, boolean, object, array; found a string ("integer")',
      'mirror.yaml:6:31: inputs.b.default: expected a number (the input\'s type), found a string ("3")',
      "mirror.yaml:7:32: inputs.c.enum[1]: expected a string (the input's type), found a number (2)",
      'mirror.yaml:7:45: inputs.c.default: "z" is not one of "x", 2',
      'mirror.yaml:8:29: inputs.d.enum: enum applies to string and number inputs, not boolean',
      'mirror.yaml:8:30: inputs.d.enum[0]: expected a string or a number, found a boolean (true)',
      'mirror.yaml:9:3: inputs.e-f: invalid input name "e-f": use letters, digits and _ (not starting with a digit; expressions read - as minus), e.g. e_f',
      'mirror.yaml:10:17: inputs.g.default: input defaults are literal values: ${{ }} is not evaluated here',
    ]);
  });
});
