import { type AppError, OciError } from '../../kernel/index.js';
import type { Action } from '../config.js';
import { type AccessPolicy, ANONYMOUS, type Identity } from './access-policy.js';
import { grants, type TokenClaims } from './jwt.js';
import { bearerChallenge, CATALOG_SCOPE, repositoryScope, type Scope } from './scope.js';
import type { TokenService } from './token-service.js';

/** What a request presented: who it is and, with a bearer token, what the token grants. */
export interface Caller {
  identity: Identity;
  claims?: TokenClaims;
}

/** What a request needs. */
export type Need =
  { kind: 'base' } | { kind: 'catalog' } | { kind: 'repository'; name: string; actions: readonly Action[] };

/** An authorization failure with the `WWW-Authenticate` challenge to send along. */
export class AuthChallenge extends OciError {
  constructor(
    message: string,
    readonly challenge: string,
    details: { Type: string; Name: string; Action: string }[],
  ) {
    super('OCI_UNAUTHORIZED', message, {}, { details: { access: details } });
  }
}

export interface RequestAuthorizerOptions {
  policy: AccessPolicy;
  /** Absent when no auth is configured (open registry). */
  tokens?: TokenService;
}

const OPEN_CALLER: Caller = { identity: ANONYMOUS };

/**
 * Decides registry requests the way Docker clients expect (distribution's token auth):
 * no or insufficient token → 401 with a Bearer challenge naming the scope to ask for;
 * a valid token of a principal the policy would never grant the action → 403 DENIED, so
 * that the client reports "denied" instead of looping on the token endpoint. Anonymous
 * requests are served without a token where the policy allows anonymous access.
 */
export class RequestAuthorizer {
  constructor(private readonly options: RequestAuthorizerOptions) {}

  get open(): boolean {
    return this.options.policy.open;
  }

  /** The caller of a request from its `Authorization` header. */
  identify(authorization: string | undefined, realm: string): Caller {
    const tokens = this.options.tokens;
    if (!tokens || this.open) return OPEN_CALLER;
    if (authorization === undefined) return OPEN_CALLER;
    const bearer = /^Bearer\s+(\S+)$/i.exec(authorization);
    const claims = bearer ? tokens.verifyAccessToken(bearer[1]!) : undefined;
    if (!claims) {
      throw new AuthChallenge(
        bearer
          ? 'the bearer token is invalid or expired; request a new one'
          : 'only Bearer tokens are accepted here; get one from the token endpoint',
        bearerChallenge({
          realm,
          service: tokens.service,
          scopes: [],
          error: bearer ? 'invalid_token' : undefined,
        }),
        [],
      );
    }
    return { identity: this.options.policy.identityOf(claims.sub), claims };
  }

  /** Throws AuthChallenge (401) or a DENIED error (403) when the caller may not do what the request needs. */
  authorize(caller: Caller, need: Need, realm: string): void {
    if (this.open) return;
    const { policy, tokens } = this.options;
    const service = tokens?.service ?? '';
    if (need.kind === 'base') {
      if (caller.claims) return;
      throw new AuthChallenge('authentication required', bearerChallenge({ realm, service, scopes: [] }), []);
    }
    if (need.kind === 'catalog') {
      if (caller.claims ? grants(caller.claims, 'registry', 'catalog', '*') : false) return;
      throw this.challenge(caller, CATALOG_SCOPE, realm, 'listing the catalog');
    }
    const missing = need.actions.filter((action) =>
      caller.claims
        ? !grants(caller.claims, 'repository', need.name, action)
        : !policy.actionsFor(ANONYMOUS, need.name).has(action),
    );
    if (missing.length === 0) return;
    if (caller.identity.kind !== 'anonymous') {
      const allowed = policy.actionsFor(caller.identity, need.name);
      const never = missing.filter((action) => !allowed.has(action));
      if (never.length > 0)
        throw denied(caller.identity, need.name, never, policy.namespaceOf(need.name)?.match);
    }
    const actions: Action[] = need.actions.includes('push') ? ['pull', 'push'] : [...need.actions];
    throw this.challenge(
      caller,
      repositoryScope(need.name, actions),
      realm,
      `${missing.join(' and ')} on ${need.name}`,
    );
  }

  private challenge(caller: Caller, scope: Scope, realm: string, what: string): AuthChallenge {
    const error = caller.claims ? 'insufficient_scope' : undefined;
    const message = caller.claims
      ? `the token does not grant ${what}`
      : `authentication required for ${what}`;
    const details = scope.actions.map((action) => ({ Type: scope.type, Name: scope.name, Action: action }));
    return new AuthChallenge(
      message,
      bearerChallenge({ realm, service: this.options.tokens?.service ?? '', scopes: [scope], error }),
      details,
    );
  }
}

function denied(
  identity: Identity,
  repository: string,
  actions: Action[],
  namespace: string | undefined,
): AppError {
  const where = namespace ? `namespace ${namespace}` : 'no namespace covers it';
  return new OciError(
    'OCI_DENIED',
    `${identity.kind} "${identity.subject}" may not ${actions.join(' or ')} ${repository} (${where})`,
    {
      repository,
    },
  );
}
