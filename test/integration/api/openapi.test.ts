import { readFile } from 'node:fs/promises';
import { Validator } from '@seriousme/openapi-schema-validator';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiRoutes } from '../../../src/api/index.js';
import { type ApiFixture, startApiFixture } from './support.js';

let f: ApiFixture;
let document: Record<string, unknown>;
beforeAll(async () => {
  f = await startApiFixture();
  document = (await f.app.inject({ method: 'GET', url: '/api/openapi.json' })).json();
});
afterAll(async () => f?.close());

type Operation = {
  operationId: string;
  security: unknown[];
  responses: Record<string, unknown>;
  parameters?: { name: string; in: string }[];
};
const paths = () => document.paths as Record<string, Record<string, Operation>>;

function refs(value: unknown, found: string[] = []): string[] {
  if (Array.isArray(value)) for (const item of value) refs(item, found);
  else if (value && typeof value === 'object')
    for (const [key, inner] of Object.entries(value)) {
      if (key === '$ref') found.push(inner as string);
      else refs(inner, found);
    }
  return found;
}

describe('OpenAPI document', () => {
  it('is a valid OpenAPI 3.1 document', async () => {
    const validator = new Validator();
    const result = await validator.validate(structuredClone(document));
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    expect(validator.version).toBe('3.1');
    expect(document.info).toMatchObject({ title: 'Airlock API', version: '9.9.9' });
  });

  it('lists every route exactly once, and nothing else', () => {
    const documented = Object.entries(paths()).flatMap(([path, ops]) =>
      Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`),
    );
    const routes = apiRoutes.map((r) => `${r.method} ${r.path}`);
    expect(documented.sort()).toEqual([...routes].sort());
    const ids = apiRoutes.map((r) => r.operationId);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('is summarised in docs/api.md, operation by operation', async () => {
    const guide = await readFile(new URL('../../../docs/api.md', import.meta.url), 'utf8');
    for (const route of apiRoutes) expect(guide).toContain(`\`${route.method} ${route.path}`);
  });

  it('has component schemas that are valid JSON Schema 2020-12, and no dangling reference', () => {
    const components = (document.components as { schemas: Record<string, object> }).schemas;
    const ajv = new Ajv2020({ strict: false });
    for (const [name, schema] of Object.entries(components))
      ajv.addSchema(schema, `#/components/schemas/${name}`);
    for (const name of Object.keys(components))
      expect(() => ajv.getSchema(`#/components/schemas/${name}`), name).not.toThrow();
    for (const ref of refs(document)) {
      expect(ref).toMatch(/^#\/components\/schemas\//);
      expect(components, ref).toHaveProperty(ref.slice('#/components/schemas/'.length));
    }
    expect(Object.keys(components)).toEqual(
      expect.arrayContaining(['Problem', 'RunDetail', 'WorkflowVersion', 'ApiToken', 'AuditEntry']),
    );
  });

  it('documents security, parameters and problem responses per operation', () => {
    const getRun = paths()['/api/runs/{id}']!.get!;
    expect(getRun.security).toEqual([{ bearerAuth: [] }]);
    expect(getRun.parameters).toEqual([expect.objectContaining({ name: 'id', in: 'path', required: true })]);
    expect(Object.keys(getRun.responses).sort()).toEqual(['200', '400', '401', '403', 'default']);
    expect(paths()['/api/healthz']!.get!.security).toEqual([]);
    const listRuns = paths()['/api/runs']!.get!;
    expect(listRuns.parameters?.map((p) => `${p.in}:${p.name}`)).toEqual([
      'query:workflow',
      'query:status',
      'query:limit',
      'query:before',
    ]);
    const apply = paths()['/api/workflows']!.post! as unknown as {
      requestBody: { content: Record<string, unknown> };
    };
    expect(Object.keys(apply.requestBody.content).sort()).toEqual(['application/json', 'application/yaml']);
  });

  it('validates real responses against the documented schemas', async () => {
    const components = (document.components as { schemas: Record<string, object> }).schemas;
    const ajv = new Ajv2020({ strict: false });
    for (const [name, schema] of Object.entries(components))
      ajv.addSchema(schema, `#/components/schemas/${name}`);
    const problem = await f.app.inject({
      method: 'GET',
      url: '/api/runs/nope',
      headers: { authorization: `Bearer ${f.secrets.viewer}` },
    });
    const validate = ajv.getSchema('#/components/schemas/Problem')!;
    expect(validate(problem.json()), JSON.stringify(validate.errors)).toBe(true);
    const tokens = await f.app.inject({
      method: 'GET',
      url: '/api/tokens',
      headers: { authorization: `Bearer ${f.secrets.admin}` },
    });
    const validateTokens = ajv.getSchema('#/components/schemas/TokenList')!;
    expect(validateTokens(tokens.json()), JSON.stringify(validateTokens.errors)).toBe(true);
  });
});

describe('browsable reference', () => {
  it('serves Swagger UI and every asset it references from this server only', async () => {
    const page = await f.app.inject({ method: 'GET', url: '/api/docs' });
    expect(page.statusCode).toBe(200);
    const csp = page.headers['content-security-policy'] as string;
    expect(csp).toContain("default-src 'self'");
    expect(csp).not.toMatch(/https:|http:|validator\.swagger\.io|upgrade-insecure-requests/);
    const assets = [...page.body.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]!);
    expect(assets.length).toBeGreaterThan(2);
    for (const asset of assets) {
      expect(asset).not.toMatch(/^(https?:)?\/\//);
      const url = asset.startsWith('/') ? asset : `/api/docs/${asset.replace(/^\.\//, '')}`;
      const response = await f.app.inject({ method: 'GET', url });
      expect(response.statusCode, url).toBe(200);
    }
    const initializer = await f.app.inject({ method: 'GET', url: '/api/docs/static/swagger-initializer.js' });
    expect(initializer.body).toContain('validatorUrl: null');
    const spec = await f.app.inject({ method: 'GET', url: '/api/docs/json' });
    expect(spec.json().paths).toEqual(document.paths);
  });
});
