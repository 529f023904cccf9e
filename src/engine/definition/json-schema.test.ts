import { readFile, writeFile, mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Ajv2020 from 'ajv/dist/2020.js';
import { format } from 'prettier';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { workflowJsonSchema } from './json-schema.js';
import { DESIGN_SAMPLE } from './testing/samples.js';

/** Regenerate with `AIRLOCK_WRITE_SCHEMAS=1 npx vitest run src/engine/definition/json-schema.test.ts`. */
const SCHEMA_FILE = join(
  dirname(fileURLToPath(import.meta.url)),
  '../../../docs/schemas/workflow.schema.json',
);

describe('workflowJsonSchema', () => {
  it('is the published docs/schemas/workflow.schema.json', async () => {
    const schema = workflowJsonSchema();
    if (process.env.AIRLOCK_WRITE_SCHEMAS === '1') {
      await mkdir(dirname(SCHEMA_FILE), { recursive: true });
      await writeFile(SCHEMA_FILE, await format(JSON.stringify(schema), { parser: 'json', printWidth: 110 }));
    }
    const published = JSON.parse(await readFile(SCHEMA_FILE, 'utf8')) as unknown;
    expect(published, 'stale: regenerate with AIRLOCK_WRITE_SCHEMAS=1').toEqual(schema);
  });

  it('is JSON Schema 2020-12 that accepts the design sample and rejects unknown keys', () => {
    const ajv = new Ajv2020.default({ strict: false });
    const validate = ajv.compile(workflowJsonSchema());
    expect(validate(parseYaml(DESIGN_SAMPLE)), JSON.stringify(validate.errors)).toBe(true);
    const document = parseYaml(DESIGN_SAMPLE) as { steps: Record<string, unknown>[] };
    document.steps[0]!['runs-on'] = 'ubuntu';
    expect(validate(document)).toBe(false);
    expect(validate.errors?.[0]).toMatchObject({
      keyword: 'additionalProperties',
      params: { additionalProperty: 'runs-on' },
    });
  });

  it('publishes formats editors can check: durations, uses, ids', () => {
    const ajv = new Ajv2020.default({ strict: false });
    const validate = ajv.compile(workflowJsonSchema());
    const base = parseYaml(DESIGN_SAMPLE) as { steps: Record<string, unknown>[] };
    for (const [key, value] of [
      ['timeout', '10x'],
      ['uses', 'oci/copy'],
      ['id', 'list-tags'],
    ] as const) {
      const document = structuredClone(base);
      document.steps[0]![key] = value;
      expect(validate(document), `${key}: ${value}`).toBe(false);
    }
  });
});
