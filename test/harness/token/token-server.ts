import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { AppError, REDACTED } from '../../../src/kernel/index.js';
import { makeTempDir } from '../cleanup.js';
import { listenOnLoopback } from '../network.js';
import { parseScopes } from './access.js';
import { createSigningCertificate } from './certificate.js';
import type { TokenAccess } from './jwt.js';
import { TokenIssuer, type Principal, type TokenServerBehaviour } from './token-issuer.js';

export interface StartTokenServerOptions extends Partial<TokenServerBehaviour> {
  /** The `service` the registry expects as audience; defaults to `airlock-test-registry`. */
  service?: string;
  /** The token issuer name the registry trusts; defaults to `airlock-test-token-issuer`. */
  issuer?: string;
  signal?: AbortSignal;
}

/** One request to the token service, safe to print: secrets are never recorded. */
export interface TokenRequestRecord {
  method: string;
  path: string;
  /** Query (`GET`) or form (`POST`) parameters; passwords and refresh tokens read `[REDACTED]`. */
  params: [string, string][];
  /** The `scope` values as sent, one entry per scope. */
  scopes: string[];
  /** Lower-case scheme of the `Authorization` header (`basic`, `bearer`), undefined when none was sent. */
  authScheme?: string;
  /** The user the request authenticated as. */
  username?: string;
  grantType?: string;
  status: number;
  /** The access the issued token carries. */
  granted?: TokenAccess[];
}

export interface TokenServer {
  /** Origin, e.g. `http://127.0.0.1:PORT`. */
  url: string;
  host: string;
  /** The token endpoint (`<url>/token`), the `realm` registries challenge with. */
  realm: string;
  service: string;
  issuer: string;
  /** PEM certificate the registry must trust (`rootcertbundle`). */
  certificatePath: string;
  readonly requests: readonly TokenRequestRecord[];
  /** Changes behaviour for the following requests. */
  configure(patch: Partial<TokenServerBehaviour>): void;
  clearRequests(): void;
  /** A token with exactly this access, minted without an HTTP round trip. */
  issueToken(access: TokenAccess[], subject?: string): string;
  stop(): Promise<void>;
}

const SECRET_PARAMS = new Set(['password', 'refresh_token', 'client_secret']);
/** Token requests are a few hundred bytes; anything this large is a client bug. */
const MAX_FORM_BYTES = 64 * 1024;

/**
 * A token service in the manner of auth.docker.io and ghcr.io/token, on its own loopback
 * origin: `GET /token` (distribution docs/spec/auth/token.md) with Basic or no credentials, and
 * `POST /token` (docs/spec/auth/oauth.md) with `grant_type=password` or `refresh_token`. Tokens are
 * ES256 JWTs whose `x5c` certificate the registry trusts; every request is recorded.
 */
export async function startTokenServer(options: StartTokenServerOptions = {}): Promise<TokenServer> {
  const {
    service = 'airlock-test-registry',
    issuer = 'airlock-test-token-issuer',
    signal,
    ...behaviour
  } = options;
  const dir = await makeTempDir('token-server');
  try {
    const key = await createSigningCertificate(dir.path, { commonName: issuer, signal });
    const tokens = new TokenIssuer(service, issuer, key, behaviour);
    const requests: TokenRequestRecord[] = [];
    const server = createServer((req, res) => {
      handle(tokens, req, res)
        .then((record) => requests.push(record))
        .catch((error: unknown) => {
          requests.push({ ...baseRecord(req, []), status: 500 });
          if (!res.headersSent) sendJson(res, 500, { errors: [{ code: 'UNKNOWN', message: String(error) }] });
        });
    });
    const host = await listenOnLoopback(server);
    const url = `http://${host}`;
    return {
      url,
      host,
      realm: `${url}/token`,
      service,
      issuer,
      certificatePath: key.certificatePath,
      requests,
      configure: (patch) => void (tokens.behaviour = { ...tokens.behaviour, ...patch }),
      clearRequests: () => void requests.splice(0),
      issueToken: (access, subject = '') => tokens.mint(access, subject),
      stop: async () => {
        server.closeAllConnections();
        await new Promise<void>((resolve) => server.close(() => resolve()));
        await dir.remove();
      },
    };
  } catch (error) {
    await dir.remove();
    throw error;
  }
}

async function handle(
  tokens: TokenIssuer,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<TokenRequestRecord> {
  const url = new URL(req.url ?? '/', 'http://token.invalid');
  if (url.pathname !== '/token')
    return reply(res, baseRecord(req, []), 404, { errors: [{ code: 'NOT_FOUND' }] });
  if (req.method === 'GET') return handleGet(tokens, req, res, url.searchParams);
  if (req.method === 'POST') return handlePost(tokens, req, res);
  res.setHeader('allow', 'GET, POST');
  return reply(res, baseRecord(req, []), 405, { errors: [{ code: 'UNSUPPORTED' }] });
}

async function handleGet(
  tokens: TokenIssuer,
  req: IncomingMessage,
  res: ServerResponse,
  params: URLSearchParams,
): Promise<TokenRequestRecord> {
  const record = baseRecord(req, [...params]);
  const principal = authenticateHeader(tokens, req.headers.authorization);
  if (principal === 'rejected') {
    return reply(res, record, 401, { details: 'incorrect username or password' });
  }
  record.username = principal.username;
  const offline = params.get('offline_token') === 'true' && principal.username !== undefined;
  const refreshToken = offline ? tokens.newRefreshToken(principal.username!) : undefined;
  return issue(tokens, res, record, {
    principal,
    scopes: params.getAll('scope'),
    method: 'GET',
    refreshToken,
  });
}

async function handlePost(
  tokens: TokenIssuer,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<TokenRequestRecord> {
  const type = req.headers['content-type']?.split(';')[0]?.trim().toLowerCase();
  const form = new URLSearchParams(await readBody(req));
  const record = baseRecord(req, [...form]);
  record.grantType = form.get('grant_type') ?? undefined;
  if (type !== 'application/x-www-form-urlencoded') {
    return reply(res, record, 400, {
      error: 'invalid_request',
      error_description: 'expected a form-encoded body',
    });
  }
  let username: string | undefined;
  if (record.grantType === 'password') {
    const name = form.get('username') ?? '';
    if (tokens.checkPassword(name, form.get('password') ?? '')) username = name;
  } else if (record.grantType === 'refresh_token') {
    username = tokens.userOfRefreshToken(form.get('refresh_token') ?? '');
  } else {
    return reply(res, record, 400, { error: 'unsupported_grant_type' });
  }
  if (username === undefined) return reply(res, record, 401, { error: 'invalid_grant' });
  record.username = username;
  const offline = form.get('access_type') === 'offline';
  const sentRefresh = record.grantType === 'refresh_token' ? form.get('refresh_token')! : undefined;
  const refreshToken = offline ? (sentRefresh ?? tokens.newRefreshToken(username)) : undefined;
  return issue(tokens, res, record, {
    principal: { username },
    scopes: form.getAll('scope'),
    method: 'POST',
    refreshToken,
  });
}

function issue(
  tokens: TokenIssuer,
  res: ServerResponse,
  record: TokenRequestRecord,
  request: { principal: Principal; scopes: string[]; method: 'GET' | 'POST'; refreshToken?: string },
): TokenRequestRecord {
  let scopes: TokenAccess[];
  try {
    scopes = parseScopes(request.scopes);
  } catch (error) {
    return reply(res, record, 400, { error: 'invalid_scope', error_description: (error as Error).message });
  }
  const { body, granted } = tokens.issue({ ...request, scopes });
  record.granted = granted;
  return reply(res, record, 200, body);
}

/** The principal of an `Authorization` header: anonymous without one, 'rejected' when wrong. */
function authenticateHeader(tokens: TokenIssuer, header: string | undefined): Principal | 'rejected' {
  if (header === undefined) return {};
  const [scheme, value = ''] = header.split(' ', 2);
  if (scheme?.toLowerCase() !== 'basic') return 'rejected';
  const decoded = Buffer.from(value, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return 'rejected';
  const username = decoded.slice(0, colon);
  return tokens.checkPassword(username, decoded.slice(colon + 1)) ? { username } : 'rejected';
}

function baseRecord(req: IncomingMessage, params: [string, string][]): TokenRequestRecord {
  const url = new URL(req.url ?? '/', 'http://token.invalid');
  const scheme = req.headers.authorization?.split(' ', 1)[0]?.toLowerCase();
  return {
    method: req.method ?? '',
    path: url.pathname,
    params: params.map(([name, value]) => [name, SECRET_PARAMS.has(name) ? REDACTED : value]),
    scopes: params
      .filter(([name]) => name === 'scope')
      .flatMap(([, value]) => value.split(' ').filter(Boolean)),
    authScheme: scheme,
    status: 0,
  };
}

function reply(
  res: ServerResponse,
  record: TokenRequestRecord,
  status: number,
  body: unknown,
): TokenRequestRecord {
  sendJson(res, status, body);
  record.status = status;
  return record;
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const bytes = Buffer.from(JSON.stringify(body));
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': bytes.length });
  res.end(bytes);
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    total += chunk.length;
    if (total > MAX_FORM_BYTES)
      throw new AppError('OCI_BODY_TOO_LARGE', `token request body exceeds ${MAX_FORM_BYTES} bytes`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}
