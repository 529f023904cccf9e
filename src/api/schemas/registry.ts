import { z } from 'zod';

/**
 * The API's named schemas: each becomes `#/components/schemas/<id>` in the OpenAPI document,
 * referenced wherever it is used. A registry of our own, not zod's global one, so that names
 * cannot clash with schemas other areas publish.
 */
export const apiSchemas = z.registry<{ id: string }>();

const declared: { id: string; schema: z.ZodType }[] = [];

/** Registers `schema` under `id` and returns it, so that a declaration names its schema once. */
export function named<T extends z.ZodType>(id: string, schema: T): T {
  apiSchemas.add(schema, { id });
  declared.push({ id, schema });
  return schema;
}

/** Every named schema, in declaration order. */
export function namedApiSchemas(): readonly { id: string; schema: z.ZodType }[] {
  return declared;
}
