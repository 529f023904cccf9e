import type { FastifyRequest } from 'fastify';
import { AppError } from '../../kernel/index.js';
import type { Metrics } from '../../kernel/metrics.js';
import type { Actor } from '../../engine/service.js';
import type { ApiTokenRecord, AuditLog, TokenStore } from '../../store/index.js';
import { type Permission, isAllowed, rolesGranting } from './permissions.js';

/** Who made a request, once its token checked out. */
export interface Caller {
  actor: Actor;
  token: ApiTokenRecord;
}

export interface AuthenticateDependencies {
  tokens: TokenStore;
  audit: AuditLog;
  metrics: Metrics;
  /** Records a failed audit append without failing the request (see `recordAudit`). */
  onAuditFailure(action: string, error: unknown): void;
}

const BEARER = /^Bearer[ \t]+(\S+)[ \t]*$/i;

/**
 * Authenticates the request's bearer token (RFC 6750 §2.1): 401 when it is missing, malformed,
 * unknown, expired or revoked. The first use of a token in each last-used window is audited.
 */
export async function authenticate(
  request: FastifyRequest,
  deps: AuthenticateDependencies,
  signal: AbortSignal,
): Promise<Caller> {
  const header = request.headers.authorization;
  if (header === undefined || header === '') {
    deps.metrics.authFailures.inc({ reason: 'missing' });
    throw new AppError(
      'API_UNAUTHENTICATED',
      'this endpoint needs an API token: send "Authorization: Bearer <token>"',
      {
        details: { challenge: 'missing' },
      },
    );
  }
  const match = BEARER.exec(header);
  const result = match
    ? await deps.tokens.authenticate(match[1]!, { signal })
    : { status: 'unknown' as const };
  if (result.status !== 'valid') {
    deps.metrics.authFailures.inc({ reason: result.status });
    throw new AppError('API_TOKEN_INVALID', tokenMessage(result), {
      details: { challenge: 'invalid_token' },
    });
  }
  const caller: Caller = {
    actor: { subject: result.record.subject, roles: result.record.roles },
    token: result.record,
  };
  if (result.recordedUse) {
    const details = { method: request.method, route: request.routeOptions.url ?? request.url };
    // No signal: the record of a use must not depend on the client staying connected.
    await deps.audit
      .append({
        actor: caller.actor.subject,
        action: 'token.use',
        target: `token:${result.record.id}`,
        details,
      })
      .catch((error: unknown) => deps.onAuditFailure('token.use', error));
  }
  return caller;
}

/** 403 unless one of the caller's roles grants `permission`. */
export function authorize(caller: Caller, permission: Permission, metrics: Metrics): void {
  if (isAllowed(caller.actor.roles, permission)) return;
  metrics.authFailures.inc({ reason: 'forbidden' });
  const needed = rolesGranting(permission).join(' or ');
  throw new AppError(
    'API_FORBIDDEN',
    `${caller.actor.subject} (roles: ${caller.actor.roles.join(', ')}) may not do this: it needs the role ${needed}`,
    { details: { required: rolesGranting(permission), roles: caller.actor.roles } },
  );
}

function tokenMessage(result: { status: string; record?: ApiTokenRecord }): string {
  switch (result.status) {
    case 'expired':
      return `the API token ${result.record!.id} expired at ${result.record!.expiresAt}: ask an admin for a new one`;
    case 'revoked':
      return `the API token ${result.record!.id} was revoked at ${result.record!.revokedAt}: ask an admin for a new one`;
    default:
      return 'the API token is not valid: check that it was copied whole (airlock_…)';
  }
}
