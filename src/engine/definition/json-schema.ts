import { z } from 'zod';
import { workflowDocumentSchema } from './schema.js';

/** Where the published schema lives; editors reference it via `# yaml-language-server: $schema=…`. */
export const WORKFLOW_SCHEMA_ID = 'https://airlock.dev/schemas/workflow.schema.json';

/**
 * The workflow file format as JSON Schema 2020-12, generated from the zod schema that
 * validates it, so the published schema and the validator never disagree. Input shapes
 * (`io: 'input'`): fields with defaults are optional.
 */
export function workflowJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(workflowDocumentSchema, { target: 'draft-2020-12', io: 'input' });
  return { $schema: schema.$schema, $id: WORKFLOW_SCHEMA_ID, ...schema };
}
