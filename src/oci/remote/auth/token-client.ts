import type { Dispatcher } from '../../../kernel/http/index.js';
import { request } from '../../../kernel/http/index.js';
import { AppError, type Clock, redactUrl } from '../../../kernel/index.js';
import type { Credential } from '../credentials/index.js';
import { type CachedToken, tokenTimes } from './token-cache.js';

/** Bound on token responses: tokens are a few KiB; a megabyte means something is wrong. */
const MAX_TOKEN_RESPONSE_BYTES = 1024 * 1024;

export interface TokenRequest {
  realm: URL;
  service?: string;
  /** Formatted scope strings (`repository:library/python:pull`). */
  scopes: string[];
  credential?: Credential;
  dispatcher: Dispatcher;
  userAgent: string;
  clock: Clock;
  signal?: AbortSignal;
  /** OAuth2 client id sent with POST grants (Docker sends its own name). */
  clientId?: string;
}

/**
 * Obtains a bearer token from a registry's token service, following Docker's token
 * authentication spec and its OAuth2 variant:
 * - an identity token (refresh token, ACR style) → `POST` `grant_type=refresh_token`;
 * - username/password → `GET` with Basic; registries that only speak OAuth2 (404/405 on GET)
 *   → `POST` `grant_type=password`;
 * - no credential → anonymous `GET`.
 * Accepts `token` or `access_token` in the answer.
 */
export async function requestToken(req: TokenRequest): Promise<CachedToken> {
  const credential = req.credential;
  if (credential?.kind === 'identity-token') {
    return postGrant(req, { grant_type: 'refresh_token', refresh_token: credential.token });
  }
  const url = new URL(req.realm);
  if (req.service) url.searchParams.set('service', req.service);
  for (const scope of req.scopes) url.searchParams.append('scope', scope);
  const headers: Record<string, string> = { 'user-agent': req.userAgent, accept: 'application/json' };
  if (credential?.kind === 'basic') {
    headers.authorization = `Basic ${Buffer.from(`${credential.username}:${credential.password}`).toString('base64')}`;
  }
  const response = await request(url, {
    method: 'GET',
    headers,
    dispatcher: req.dispatcher,
    signal: req.signal,
  });
  const body = await readBounded(response.body);
  if ((response.statusCode === 404 || response.statusCode === 405) && credential?.kind === 'basic') {
    return postGrant(req, {
      grant_type: 'password',
      username: credential.username,
      password: credential.password,
    });
  }
  return parseTokenResponse(response.statusCode, body, req);
}

async function postGrant(req: TokenRequest, grant: Record<string, string>): Promise<CachedToken> {
  const form = new URLSearchParams({ ...grant, client_id: req.clientId ?? 'airlock' });
  if (req.service) form.set('service', req.service);
  if (req.scopes.length > 0) form.set('scope', req.scopes.join(' '));
  const response = await request(req.realm, {
    method: 'POST',
    headers: {
      'user-agent': req.userAgent,
      accept: 'application/json',
      'content-type': 'application/x-www-form-urlencoded',
    },
    body: form.toString(),
    dispatcher: req.dispatcher,
    signal: req.signal,
  });
  const body = await readBounded(response.body);
  return parseTokenResponse(response.statusCode, body, req);
}

function parseTokenResponse(status: number, body: string, req: TokenRequest): CachedToken {
  const realm = redactUrl(`${req.realm.origin}${req.realm.pathname}`);
  if (status === 401 || status === 403) {
    throw new AppError(
      req.credential ? 'AUTH_CREDENTIALS_INVALID' : 'AUTH_TOKEN_FAILED',
      req.credential
        ? `token service ${realm} rejected the credentials (${status}) for ${req.scopes.join(' ') || 'the registry'}; check them with \`airlock login\``
        : `token service ${realm} refused anonymous access (${status}) to ${req.scopes.join(' ') || 'the registry'}; this repository needs credentials`,
      { details: { realm, status } },
    );
  }
  if (status < 200 || status >= 300) {
    throw new AppError('AUTH_TOKEN_FAILED', `token service ${realm} answered ${status}`, {
      details: { realm, status },
      retryable: status >= 500 || status === 429,
    });
  }
  let parsed: Record<string, unknown>;
  try {
    parsed = JSON.parse(body) as Record<string, unknown>;
  } catch {
    throw new AppError('AUTH_TOKEN_FAILED', `token service ${realm} answered with a body that is not JSON`, {
      details: { realm },
    });
  }
  const token = typeof parsed.token === 'string' && parsed.token !== '' ? parsed.token : parsed.access_token;
  if (typeof token !== 'string' || token === '') {
    throw new AppError(
      'AUTH_TOKEN_FAILED',
      `token service ${realm} answered without "token" or "access_token"`,
      { details: { realm } },
    );
  }
  return { token, ...tokenTimes(req.clock.now(), parsed.expires_in, parsed.issued_at) };
}

async function readBounded(body: AsyncIterable<Uint8Array>): Promise<string> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of body) {
    total += chunk.length;
    if (total > MAX_TOKEN_RESPONSE_BYTES) {
      throw new AppError('AUTH_TOKEN_FAILED', `token response exceeds ${MAX_TOKEN_RESPONSE_BYTES} bytes`);
    }
    chunks.push(Buffer.from(chunk));
  }
  return Buffer.concat(chunks).toString('utf8');
}
