import { z } from 'zod';
import { rolesGranting } from '../auth/permissions.js';
import { PROBLEM_MEDIA_TYPE } from '../http/problem.js';
import type { AnyRoute, RouteDefinition } from '../http/route.js';
import { apiSchemas, namedApiSchemas } from '../schemas/registry.js';

type JsonSchema = Record<string, unknown>;
type Operation = Record<string, unknown>;

export interface OpenApiInfo {
  version: string;
}

const COMPONENT_REF = '#/components/schemas/';
const PROBLEM_REF = { $ref: `${COMPONENT_REF}Problem` };
/** Prefix of the ids of schemas that are inlined into operations rather than kept as components. */
const INLINE = '__inline_';

/**
 * The OpenAPI 3.1 document of the route table. Schemas come from the routes' zod schemas
 * (JSON Schema 2020-12, which OpenAPI 3.1 uses as is); named ones become components. Every
 * operation documents its problem responses and who may call it.
 */
export function buildOpenApiDocument(
  routes: readonly AnyRoute[],
  info: OpenApiInfo,
): Record<string, unknown> {
  const requests = z.registry<{ id: string }>();
  const responses = z.registry<{ id: string }>();
  for (const schema of namedApiSchemas()) responses.add(schema.schema, { id: schema.id });
  routes.forEach((route, i) => collectSchemas(route, i, requests, responses));
  const requestSchemas = convert(requests, 'input');
  const responseSchemas = convert(responses, 'output');
  const inline = { ...takeInline(requestSchemas), ...takeInline(responseSchemas) };
  const paths: Record<string, Record<string, Operation>> = {};
  routes.forEach((route, i) => {
    paths[route.path] ??= {};
    paths[route.path]![route.method.toLowerCase()] = operation(route, i, inline);
  });
  return {
    openapi: '3.1.0',
    info: {
      title: 'Airlock API',
      version: info.version,
      description:
        'Workflows, runs, approvals, triggers and tokens of an Airlock server. Authenticate with an API token: ' +
        '`Authorization: Bearer airlock_…`. Errors are RFC 9457 problem details.',
      license: { name: 'Apache-2.0', identifier: 'Apache-2.0' },
    },
    tags: [...new Set(routes.flatMap((r) => r.tags))].map((name) => ({ name })),
    paths,
    components: {
      schemas: { ...requestSchemas, ...responseSchemas },
      securitySchemes: {
        bearerAuth: { type: 'http', scheme: 'bearer', description: 'An API token (`airlock token create`)' },
        webhookSecret: {
          type: 'apiKey',
          in: 'header',
          name: 'Authorization',
          description: "The webhook source's shared secret, with or without `Bearer `",
        },
      },
    },
  };
}

function collectSchemas(
  route: AnyRoute,
  i: number,
  requests: z.core.$ZodRegistry<{ id: string }>,
  responses: z.core.$ZodRegistry<{ id: string }>,
): void {
  const add = (registry: z.core.$ZodRegistry<{ id: string }>, id: string, schema: z.ZodType | undefined) => {
    if (schema && !apiSchemas.has(schema) && !registry.has(schema))
      registry.add(schema, { id: `${INLINE}${i}_${id}` });
  };
  add(requests, 'params', route.params);
  add(requests, 'query', route.query);
  for (const [type, schema] of Object.entries(requestContent(route))) add(requests, `body_${type}`, schema);
  for (const [status, response] of Object.entries(route.responses))
    add(responses, `status_${status}`, response.schema);
}

function convert(
  registry: z.core.$ZodRegistry<{ id: string }>,
  io: 'input' | 'output',
): Record<string, JsonSchema> {
  const { schemas } = z.toJSONSchema(registry, {
    target: 'draft-2020-12',
    io,
    unrepresentable: 'any',
    uri: (id) => `${COMPONENT_REF}${id}`,
  });
  const out: Record<string, JsonSchema> = {};
  for (const [id, schema] of Object.entries(schemas)) {
    const { $schema: _schema, $id: _id, ...rest } = schema as JsonSchema;
    out[id] = rest;
  }
  return out;
}

/** Removes the per-operation schemas from the components and returns them by id. */
function takeInline(schemas: Record<string, JsonSchema>): Record<string, JsonSchema> {
  const inline: Record<string, JsonSchema> = {};
  for (const id of Object.keys(schemas)) {
    if (!id.startsWith(INLINE)) continue;
    inline[id] = schemas[id]!;
    delete schemas[id];
  }
  return inline;
}

function operation(route: AnyRoute, i: number, inline: Record<string, JsonSchema>): Operation {
  const schemaOf = (id: string, schema: z.ZodType | undefined): JsonSchema | undefined => {
    if (!schema) return undefined;
    const name = apiSchemas.get(schema)?.id;
    return name ? { $ref: `${COMPONENT_REF}${name}` } : inline[`${INLINE}${i}_${id}`];
  };
  const op: Operation = {
    operationId: route.operationId,
    summary: route.summary,
    description: [route.description, accessText(route)].filter(Boolean).join('\n\n'),
    tags: route.tags,
    security: security(route),
  };
  const parameters = [
    ...parametersOf(schemaOf('params', route.params), 'path'),
    ...parametersOf(schemaOf('query', route.query), 'query'),
  ];
  if (parameters.length > 0) op.parameters = parameters;
  const content = Object.entries(requestContent(route));
  if (content.length > 0)
    op.requestBody = {
      required: true,
      content: Object.fromEntries(
        content.map(([type, schema]) => [type, { schema: schemaOf(`body_${type}`, schema) }]),
      ),
    };
  op.responses = responses(route, (status, schema) => schemaOf(`status_${status}`, schema));
  return op;
}

function requestContent(route: RouteDefinition): Record<string, z.ZodType> {
  if (route.requestContent) return route.requestContent;
  return route.body ? { 'application/json': route.body } : {};
}

function parametersOf(schema: JsonSchema | undefined, location: 'path' | 'query'): Operation[] {
  if (!schema) return [];
  const properties = (schema.properties ?? {}) as Record<string, JsonSchema>;
  const required = new Set((schema.required ?? []) as string[]);
  return Object.entries(properties).map(([name, property]) => {
    const { description, ...rest } = property;
    return {
      name,
      in: location,
      required: location === 'path' || required.has(name),
      ...(description === undefined ? {} : { description }),
      schema: rest,
    };
  });
}

function responses(
  route: AnyRoute,
  schemaOf: (status: string, schema: z.ZodType | undefined) => JsonSchema | undefined,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [status, spec] of Object.entries(route.responses)) {
    const schema = schemaOf(status, spec.schema);
    out[status] = {
      description: spec.description,
      ...(schema ? { content: { [spec.mediaType ?? 'application/json']: { schema } } } : {}),
    };
  }
  const problem = (description: string) => ({
    description,
    content: { [PROBLEM_MEDIA_TYPE]: { schema: PROBLEM_REF } },
  });
  if (route.params || route.query || route.body)
    out['400'] = problem('The request is invalid; `errors` lists each field');
  if (route.access.kind !== 'public') {
    out['401'] = problem('No token, or a token that is unknown, expired or revoked');
    out['403'] = problem("The token's roles do not allow this");
  }
  out.default = problem('A problem (RFC 9457)');
  return out;
}

function security(route: AnyRoute): Record<string, string[]>[] {
  switch (route.access.kind) {
    case 'public':
      return [];
    case 'token':
      return [{ bearerAuth: [] }];
    case 'webhook':
      return [{ webhookSecret: [] }, { bearerAuth: [] }];
  }
}

function accessText(route: AnyRoute): string {
  switch (route.access.kind) {
    case 'public':
      return 'No authentication.';
    case 'token':
      return `Roles: ${rolesGranting(route.access.permission).join(', ')}.`;
    case 'webhook':
      return `The source's shared secret, or a token with the role ${rolesGranting('events').join(' or ')}.`;
  }
}
