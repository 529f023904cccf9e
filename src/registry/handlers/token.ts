import { AppError } from '../../kernel/index.js';
import { parseScope, type Scope } from '../auth/scope.js';
import type { TokenRequest } from '../auth/token-service.js';
import { readBody } from '../http/body.js';
import type { Handler, RequestContext } from '../http/context.js';
import { sendJson } from '../http/respond.js';

/** Token request bodies are a few form fields. */
const MAX_FORM_BYTES = 64 * 1024;

/**
 * `GET /token` (Docker registry token authentication: anonymous or Basic, `scope` repeated)
 * and `POST /token` (OAuth2 `password` and `refresh_token` grants, form-encoded, `scope`
 * space-separated).
 */
export const issueToken: Handler = async (ctx, services) => {
  const tokens = services.tokens;
  if (!tokens) {
    throw new AppError(
      'REGISTRY_ENDPOINT_UNKNOWN',
      'this registry has no auth configured and issues no tokens',
    );
  }
  const request = ctx.req.method === 'POST' ? await fromForm(ctx) : fromQuery(ctx);
  const response = await tokens.issue(request, { signal: ctx.signal });
  sendJson(ctx.req, ctx.res, 200, response, { 'Cache-Control': 'no-store', Pragma: 'no-cache' });
};

function fromQuery(ctx: RequestContext): TokenRequest {
  const basic = parseBasic(ctx.req.headers.authorization);
  return {
    grantType: 'basic',
    service: ctx.query.get('service') ?? undefined,
    scopes: parseScopes(ctx.query.getAll('scope').flatMap((s) => s.split(' '))),
    username: basic?.username,
    password: basic?.password,
    offline: ctx.query.get('offline_token') === 'true',
  };
}

async function fromForm(ctx: RequestContext): Promise<TokenRequest> {
  const type = ctx.req.headers['content-type'] ?? '';
  if (!type.toLowerCase().startsWith('application/x-www-form-urlencoded')) {
    throw new AppError(
      'REGISTRY_TOKEN_REQUEST_INVALID',
      `POST /token needs an application/x-www-form-urlencoded body, got "${type.slice(0, 100)}"`,
    );
  }
  const body = await readBody(ctx.req, {
    limit: MAX_FORM_BYTES,
    code: 'OCI_BODY_TOO_LARGE',
    what: 'token request',
    signal: ctx.signal,
  });
  const form = new URLSearchParams(body.toString('utf8'));
  const grant = form.get('grant_type');
  if (grant !== 'password' && grant !== 'refresh_token') {
    throw new AppError(
      'REGISTRY_TOKEN_REQUEST_INVALID',
      `grant_type must be password or refresh_token, got "${(grant ?? '').slice(0, 40)}"`,
    );
  }
  return {
    grantType: grant,
    service: form.get('service') ?? undefined,
    scopes: parseScopes(form.getAll('scope').flatMap((s) => s.split(' '))),
    username: form.get('username') ?? undefined,
    password: form.get('password') ?? undefined,
    refreshToken: form.get('refresh_token') ?? undefined,
    offline: form.get('access_type') === 'offline',
  };
}

function parseScopes(texts: string[]): Scope[] {
  return texts
    .filter((t) => t !== '')
    .map((t) => parseScope(t))
    .filter((s): s is Scope => s !== undefined);
}

function parseBasic(header: string | undefined): { username: string; password: string } | undefined {
  const match = header === undefined ? null : /^Basic\s+([A-Za-z0-9+/=]+)$/i.exec(header);
  if (!match) return undefined;
  const decoded = Buffer.from(match[1]!, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return undefined;
  return { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}
