import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TempDir, makeTempDir } from '../harness/cleanup.js';
import { isolatedEnv, runCli } from './cli-harness.js';

describe('airlock workflow validate (offline)', () => {
  let temp: TempDir;
  beforeAll(async () => {
    temp = await makeTempDir('wf-validate');
  });
  afterAll(async () => temp?.remove());

  const validate = (...args: string[]) => runCli(['workflow', 'validate', ...args], isolatedEnv(temp.path));

  async function file(name: string, text: string): Promise<string> {
    const path = join(temp.path, name);
    await writeFile(path, text);
    return path;
  }

  it('accepts a valid workflow and says what it found', async () => {
    const path = await file(
      'good.yaml',
      [
        'apiVersion: airlock.dev/v1',
        'kind: Workflow',
        'name: mirror',
        'on: { schedule: { cron: "0 3 * * *" } }',
        'steps:',
        '  - { id: tags, uses: oci/list-tags@v1, with: { repository: docker.io/library/alpine, latest: 2 } }',
        '  - id: copy',
        '    uses: oci/copy@v1',
        '    forEach: ${{ steps.tags.outputs.tags }}',
        "    with: { source: 'docker.io/library/alpine:${{ item }}', destination: 'localhost:5000/q/alpine:${{ item }}' }",
        '',
      ].join('\n'),
    );
    const result = await validate(path);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('ok (workflow mirror, 2 steps, triggers: schedule)');
  });

  it('reports every problem with file, line and column, and exits 2', async () => {
    const path = await file(
      'bad.yaml',
      [
        'apiVersion: airlock.dev/v1',
        'kind: Workflow',
        'name: mirror',
        'steps:',
        '  - id: tags',
        '    uses: oci/list-tag@v1',
        '  - id: copy',
        '    uses: oci/copy@v1',
        '    needs: nothere',
        '',
      ].join('\n'),
    );
    const result = await validate(path);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(
      `${path}:6:11: steps[0].uses: unknown action "oci/list-tag@v1": did you mean oci/list-tags@v1?`,
    );
    expect(result.stderr).toContain(`${path}:9:12: steps[1].needs: unknown step "nothere"`);
    const json = await validate('--json', path);
    expect(JSON.parse(json.stdout)).toEqual([
      expect.objectContaining({
        file: path,
        valid: false,
        problems: expect.arrayContaining([expect.objectContaining({ path: 'steps[1].needs' })]),
      }),
    ]);
  });

  it('says which file it cannot read', async () => {
    const result = await runCli(
      ['workflow', 'validate', join(temp.path, 'missing.yaml')],
      isolatedEnv(temp.path),
    );
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('missing.yaml: no such file');
  });
});
