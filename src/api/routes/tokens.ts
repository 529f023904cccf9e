import { AppError, type Clock } from '../../kernel/index.js';
import { parseDuration } from '../../registry/index.js';
import { recordAudit } from '../audit.js';
import { type AnyRoute, defineRoute } from '../http/route.js';
import {
  CreateTokenRequestSchema,
  CreatedTokenSchema,
  TokenIdParams,
  TokenListQuery,
  TokenListSchema,
  ApiTokenSchema,
  WhoAmISchema,
} from '../schemas/tokens.js';

const TAGS = ['tokens'];

const createToken = defineRoute({
  method: 'POST',
  path: '/api/tokens',
  operationId: 'createToken',
  summary: 'Create an API token',
  description: 'The secret is in the response, once; only its hash is stored.',
  tags: TAGS,
  access: { kind: 'token', permission: 'admin' },
  body: CreateTokenRequestSchema,
  responses: { 201: { description: 'The token, with its secret', schema: CreatedTokenSchema } },
  async handler({ body, actor, services }) {
    const expiresAt = expiry(body, services.clock);
    const { token, record } = await services.tokens.create({
      subject: body.subject,
      roles: body.roles,
      description: body.description,
      expiresAt,
      createdBy: actor.subject,
    });
    await recordAudit(services, {
      actor: actor.subject,
      action: 'token.create',
      target: `token:${record.id}`,
      details: { subject: record.subject, roles: record.roles, ...(expiresAt ? { expiresAt } : {}) },
    });
    return { status: 201, body: { ...record, token } };
  },
});

const listTokens = defineRoute({
  method: 'GET',
  path: '/api/tokens',
  operationId: 'listTokens',
  summary: 'List API tokens (never their secrets)',
  tags: TAGS,
  access: { kind: 'token', permission: 'admin' },
  query: TokenListQuery,
  responses: { 200: { description: 'Tokens, newest first', schema: TokenListSchema } },
  async handler({ query, services, signal }) {
    return { body: { tokens: await services.tokens.list({ includeRevoked: query.all, signal }) } };
  },
});

const revokeToken = defineRoute({
  method: 'DELETE',
  path: '/api/tokens/{id}',
  operationId: 'revokeToken',
  summary: 'Revoke an API token',
  description: 'Takes effect on the next request made with it. Revoking a revoked token changes nothing.',
  tags: TAGS,
  access: { kind: 'token', permission: 'admin' },
  params: TokenIdParams,
  responses: { 200: { description: 'The revoked token', schema: ApiTokenSchema } },
  async handler({ params, actor, services }) {
    const before = await services.tokens.get(params.id);
    const record = before && (await services.tokens.revoke(params.id, actor.subject));
    if (!before || !record)
      throw new AppError('API_NOT_FOUND', `token ${params.id} does not exist: see GET /api/tokens?all=true`, {
        details: { token: params.id },
      });
    if (!before.revokedAt)
      await recordAudit(services, {
        actor: actor.subject,
        action: 'token.revoke',
        target: `token:${record.id}`,
        details: { subject: record.subject },
      });
    return { body: record };
  },
});

const whoAmI = defineRoute({
  method: 'GET',
  path: '/api/whoami',
  operationId: 'whoAmI',
  summary: "The caller's subject, roles and token",
  tags: TAGS,
  access: { kind: 'token', permission: 'read' },
  responses: { 200: { description: 'The caller', schema: WhoAmISchema } },
  async handler({ actor, request }) {
    const token = request.caller!.token;
    return {
      body: {
        subject: actor.subject,
        roles: actor.roles,
        token: { id: token.id, ...(token.expiresAt ? { expiresAt: token.expiresAt } : {}) },
      },
    };
  },
});

/** Longest lifetime a token may be given: a year; longer-lived automation should rotate. */
const MAX_LIFETIME_MS = 366 * 86_400_000;

function expiry(body: { expiresAt?: string; expiresIn?: string }, clock: Clock): string | undefined {
  const now = clock.now();
  let at: number | undefined;
  if (body.expiresIn !== undefined) at = now + parseLifetime(body.expiresIn);
  else if (body.expiresAt !== undefined) at = Date.parse(body.expiresAt);
  if (at === undefined) return undefined;
  if (at <= now) throw invalidExpiry('the expiry is in the past');
  if (at - now > MAX_LIFETIME_MS)
    throw invalidExpiry('tokens live at most 366 days; create a new one to rotate');
  return new Date(at).toISOString();
}

function parseLifetime(text: string): number {
  try {
    return parseDuration(text, 'expiresIn');
  } catch (error) {
    throw invalidExpiry((error as Error).message);
  }
}

function invalidExpiry(message: string): AppError {
  return new AppError('API_REQUEST_INVALID', `invalid token expiry: ${message}`, {
    details: { problems: [{ path: 'body.expiresIn', message }] },
  });
}

export const tokenRoutes: AnyRoute[] = [createToken, listTokens, revokeToken, whoAmI];
