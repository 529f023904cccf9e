import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AnyRoute, apiRoutes, isAllowed } from '../../../src/api/index.js';
import type { Role } from '../../../src/engine/service.js';
import { type ApiFixture, bearer, startApiFixture } from './support.js';

let f: ApiFixture;
beforeAll(async () => {
  f = await startApiFixture();
});
afterAll(async () => f?.close());

const ROLES: Role[] = ['viewer', 'operator', 'approver', 'admin'];
const SAMPLE_PARAMS: Record<string, string> = {
  id: 'nonexistent',
  name: 'mirror',
  version: '1',
  source: 'distribution',
};

function request(route: AnyRoute, headers: Record<string, string> = {}) {
  const url = route.path.replace(/\{(\w+)\}/g, (_m, name: string) => SAMPLE_PARAMS[name]!);
  const withBody = route.method === 'POST';
  return f.app.inject({
    method: route.method,
    url,
    headers: withBody ? { ...headers, 'content-type': 'application/json' } : headers,
    ...(withBody ? { payload: '{}' } : {}),
  });
}

function permissionOf(route: AnyRoute) {
  return route.access.kind === 'token'
    ? route.access.permission
    : route.access.kind === 'webhook'
      ? 'events'
      : undefined;
}

const secured = apiRoutes.filter((r) => r.access.kind !== 'public');
const matrix = secured.flatMap((route) =>
  ROLES.map((role) => ({ route, role, label: `${role} ${route.method} ${route.path}` })),
);

describe('permission matrix', () => {
  it('covers every route class', () => {
    expect(new Set(secured.map(permissionOf))).toEqual(
      new Set(['read', 'operate', 'decide', 'events', 'admin']),
    );
  });

  it.each(matrix)('$label', async ({ route, role }) => {
    const response = await request(route, bearer(f.secrets[role]));
    if (isAllowed([role], permissionOf(route)!)) {
      expect([401, 403], response.body).not.toContain(response.statusCode);
    } else {
      expect(response.statusCode, response.body).toBe(403);
      expect(response.json()).toMatchObject({ code: 'API_FORBIDDEN', status: 403 });
      expect(response.json().detail).toContain(`user:${role} (roles: ${role})`);
    }
  });

  it('grants each role exactly its documented permissions', () => {
    expect(isAllowed(['viewer'], 'read')).toBe(true);
    expect(isAllowed(['viewer'], 'operate')).toBe(false);
    expect(isAllowed(['operator'], 'decide')).toBe(false);
    expect(isAllowed(['approver'], 'operate')).toBe(false);
    expect(isAllowed(['approver'], 'decide')).toBe(true);
    expect(isAllowed(['operator', 'approver'], 'decide')).toBe(true);
    expect(isAllowed(['operator'], 'admin')).toBe(false);
  });
});

describe('authentication', () => {
  it.each(secured.map((route) => ({ route, label: `${route.method} ${route.path}` })))(
    'refuses $label without a token (401)',
    async ({ route }) => {
      const response = await request(route);
      expect(response.statusCode).toBe(401);
      expect(response.headers['www-authenticate']).toBe('Bearer realm="airlock"');
      expect(response.json()).toMatchObject({ code: 'API_UNAUTHENTICATED' });
    },
  );

  it('leaves public routes open', async () => {
    for (const route of apiRoutes.filter((r) => r.access.kind === 'public')) {
      const response = await request(route);
      expect(response.statusCode, route.path).toBe(200);
    }
  });

  it('refuses unknown, malformed and non-bearer credentials with invalid_token', async () => {
    const cases = [
      'Bearer airlock_0000000000000000000000000000000000000000000000000',
      `Bearer ${f.secrets.admin.slice(0, -1)}${f.secrets.admin.endsWith('a') ? 'b' : 'a'}`,
      'Bearer',
      `Basic ${Buffer.from(`x:${f.secrets.admin}`).toString('base64')}`,
    ];
    for (const authorization of cases) {
      const response = await f.app.inject({ method: 'GET', url: '/api/runs', headers: { authorization } });
      expect(response.statusCode, authorization).toBe(401);
      expect(response.headers['www-authenticate']).toBe('Bearer realm="airlock", error="invalid_token"');
      expect(response.json()).toMatchObject({ code: 'API_TOKEN_INVALID' });
    }
  });

  it('refuses a revoked token (401) and says so', async () => {
    const { token, record } = await f.tokens.create({
      subject: 'user:leaver',
      roles: ['admin'],
      createdBy: 'user:admin',
    });
    expect((await f.app.inject({ method: 'GET', url: '/api/runs', headers: bearer(token) })).statusCode).toBe(
      200,
    );
    const revoke = await f.app.inject({
      method: 'DELETE',
      url: `/api/tokens/${record.id}`,
      headers: bearer(f.secrets.admin),
    });
    expect(revoke.statusCode).toBe(200);
    const response = await f.app.inject({ method: 'GET', url: '/api/runs', headers: bearer(token) });
    expect(response.statusCode).toBe(401);
    expect(response.json().detail).toContain(`${record.id} was revoked`);
  });

  it('refuses an expired token (401) and says when it expired', async () => {
    const expiresAt = new Date(Date.now() - 60_000).toISOString();
    const { token } = await f.tokens.create({
      subject: 'user:old',
      roles: ['admin'],
      createdBy: 'user:admin',
      expiresAt,
    });
    const response = await f.app.inject({ method: 'GET', url: '/api/runs', headers: bearer(token) });
    expect(response.statusCode).toBe(401);
    expect(response.json().detail).toContain(`expired at ${expiresAt}`);
  });

  it('counts refusals by reason', async () => {
    const text = await f.metrics.registry.getSingleMetricAsString('airlock_api_auth_failures_total');
    for (const reason of ['missing', 'unknown', 'revoked', 'expired', 'forbidden'])
      expect(text).toMatch(new RegExp(`reason="${reason}"} [1-9]`));
  });
});
