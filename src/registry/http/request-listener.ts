import type { IncomingMessage, ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import { AppError, toAppError } from '../../kernel/index.js';
import { ANONYMOUS } from '../auth/access-policy.js';
import { AuthChallenge, type Caller } from '../auth/request-authorizer.js';
import { isValidRepositoryName, MAX_NAME_LENGTH } from '../names.js';
import type { RegistryServices, RequestContext } from './context.js';
import { dispatch } from './dispatch.js';
import { API_VERSION, API_VERSION_HEADER, sendError } from './respond.js';
import { ALLOWED_METHODS, matchRoute, repositoryOf, TOKEN_PATH } from './route.js';

let requestCounter = 0;
const ANONYMOUS_CALLER: Caller = { identity: ANONYMOUS };

/**
 * The registry's request listener for `node:http`: route, authorize, run the handler,
 * render any error from the catalog, log. Kept allocation-light because manifest GETs
 * and blob HEADs are the hot path of every pull.
 */
export function createRequestListener(
  services: RegistryServices,
): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    void handle(req, res, services);
  };
}

async function handle(req: IncomingMessage, res: ServerResponse, services: RegistryServices): Promise<void> {
  const started = performance.now();
  res.setHeader(API_VERSION_HEADER, API_VERSION);
  const controller = new AbortController();
  res.once('close', () => {
    if (!res.writableFinished) controller.abort();
  });
  const url = req.url ?? '/';
  const q = url.indexOf('?');
  const ctx = {
    req,
    res,
    query: new URLSearchParams(q < 0 ? '' : url.slice(q + 1)),
    signal: controller.signal,
    realm: '',
    log: {},
  } as RequestContext;
  try {
    ctx.realm = realmOf(req, services);
    const route = matchRoute(decodePath(q < 0 ? url : url.slice(0, q)));
    if (!route)
      throw new AppError(
        'REGISTRY_ENDPOINT_UNKNOWN',
        `no registry endpoint at ${req.method ?? ''} ${url.slice(0, 200)}`,
      );
    ctx.route = route;
    const repository = repositoryOf(route);
    if (repository !== undefined) {
      ctx.log.repository = repository;
      if (!isValidRepositoryName(repository)) throw invalidName(repository);
    }
    const method = req.method ?? 'GET';
    const target = dispatch(route, method);
    if (!target) {
      res.setHeader('Allow', ALLOWED_METHODS[route.kind].join(', '));
      throw new AppError(
        'OCI_UNSUPPORTED',
        `${method} is not supported on this endpoint; allowed: ${ALLOWED_METHODS[route.kind].join(', ')}`,
      );
    }
    // The token endpoint reads its own (Basic) credentials; every other endpoint takes bearer tokens.
    ctx.caller = target.need
      ? services.authorizer.identify(req.headers.authorization, ctx.realm)
      : ANONYMOUS_CALLER;
    if (target.need) services.authorizer.authorize(ctx.caller, target.need, ctx.realm);
    await (target.handler as (c: RequestContext, s: RegistryServices) => Promise<void>)(ctx, services);
  } catch (error) {
    fail(ctx, services, error);
  } finally {
    logAccess(ctx, services, started);
  }
}

function fail(ctx: RequestContext, services: RegistryServices, error: unknown): void {
  const appError = toAppError(error);
  const id = `${process.pid}-${++requestCounter}`;
  if (appError.status >= 500) {
    services.logger.error(
      { err: error, requestId: id, method: ctx.req.method, path: ctx.req.url, ...ctx.log },
      'registry request failed',
    );
  }
  if (ctx.res.headersSent) {
    ctx.res.destroy();
    return;
  }
  const headers = error instanceof AuthChallenge ? { 'WWW-Authenticate': error.challenge } : {};
  sendError(ctx.req, ctx.res, appError, id, headers);
}

function logAccess(ctx: RequestContext, services: RegistryServices, started: number): void {
  const logger = services.logger;
  if (!logger.isLevelEnabled('debug')) return;
  const log = () =>
    logger.debug(
      {
        method: ctx.req.method,
        path: ctx.req.url,
        status: ctx.res.statusCode,
        ms: Math.round((performance.now() - started) * 10) / 10,
        subject: ctx.caller?.identity.subject,
        ...ctx.log,
      },
      'registry request',
    );
  if (ctx.res.writableFinished) log();
  else ctx.res.once('finish', log);
}

function realmOf(req: IncomingMessage, services: RegistryServices): string {
  if (services.publicUrl) return `${services.publicUrl.replace(/\/+$/, '')}${TOKEN_PATH}`;
  const forwarded = req.headers['x-forwarded-proto'];
  const scheme =
    forwarded === 'https' || (req.socket as { encrypted?: boolean }).encrypted ? 'https' : 'http';
  return `${scheme}://${req.headers.host ?? 'localhost'}${TOKEN_PATH}`;
}

/**
 * Percent-decodes the one character registry paths legitimately encode: the colon of a
 * digest. Anything else stays encoded and fails name, reference or session validation, so
 * that an encoded slash can never change how a path is routed.
 */
function decodePath(path: string): string {
  return path.includes('%') ? path.replace(/%3a/gi, ':') : path;
}

function invalidName(name: string): AppError {
  const problem =
    name.length > MAX_NAME_LENGTH
      ? `is longer than ${MAX_NAME_LENGTH} characters`
      : 'does not match the distribution-spec name grammar (lowercase a-z0-9 components separated by /, with . _ __ or - between)';
  return new AppError('OCI_NAME_INVALID', `repository name "${name.slice(0, 300)}" ${problem}`, {
    details: { name: name.slice(0, 300) },
  });
}
