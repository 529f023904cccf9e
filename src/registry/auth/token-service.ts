import { AppError, type Clock } from '../../kernel/index.js';
import type { RegistryAuthConfig } from '../config.js';
import { isValidRepositoryName } from '../names.js';
import { type AccessPolicy, ANONYMOUS, type Identity } from './access-policy.js';
import type { Authenticator } from './authenticator.js';
import { type AccessEntry, newTokenId, signJwt, type TokenClaims, verifyJwt } from './jwt.js';
import type { Scope } from './scope.js';
import type { SigningKey } from './signing-key.js';
import type { CallOptions } from '../../oci/content/index.js';

/** A token request, from `GET /token` (Docker) or `POST /token` (OAuth2), already decoded. */
export interface TokenRequest {
  grantType: 'basic' | 'password' | 'refresh_token';
  service?: string;
  scopes: Scope[];
  username?: string;
  password?: string;
  refreshToken?: string;
  /** Also issue a refresh token (`access_type=offline` / `offline_token=true`). */
  offline: boolean;
}

export interface TokenResponse {
  token: string;
  access_token: string;
  expires_in: number;
  issued_at: string;
  scope?: string;
  refresh_token?: string;
}

export interface TokenServiceOptions {
  auth: RegistryAuthConfig;
  policy: AccessPolicy;
  authenticator: Authenticator;
  key: SigningKey;
  clock: Clock;
}

const VERIFIED_CACHE_ENTRIES = 10_000;

/**
 * Issues short-lived ES256 JWTs for the actions a principal is granted on the requested
 * scopes (Docker registry token authentication), and verifies them on registry requests.
 * Grants are the intersection of what was asked and what the access policy allows, so a
 * client asking for more simply gets less — as Docker's token servers do.
 */
export class TokenService {
  private readonly options: TokenServiceOptions;
  private readonly verified = new Map<string, TokenClaims>();

  constructor(options: TokenServiceOptions) {
    this.options = options;
  }

  get service(): string {
    return this.options.auth.service;
  }

  async issue(request: TokenRequest, { signal }: CallOptions = {}): Promise<TokenResponse> {
    const { auth } = this.options;
    if (request.service !== undefined && request.service !== auth.service) {
      throw new AppError(
        'REGISTRY_TOKEN_REQUEST_INVALID',
        `token requested for service "${request.service}", but this registry is "${auth.service}"`,
      );
    }
    const identity = await this.identify(request, signal);
    const now = Math.floor(this.options.clock.now() / 1000);
    const access = this.grant(identity, request.scopes);
    const ttl = Math.max(1, Math.floor(auth.tokenTtl / 1000));
    const token = signJwt(
      this.claims(identity.subject, now, ttl, { access, use: 'access' }),
      this.options.key,
    );
    const response: TokenResponse = {
      token,
      access_token: token,
      expires_in: ttl,
      issued_at: new Date(now * 1000).toISOString(),
    };
    if (request.grantType !== 'basic')
      response.scope = access.map((a) => `${a.type}:${a.name}:${a.actions.join(',')}`).join(' ');
    if (request.offline && identity.kind !== 'anonymous') {
      const refreshTtl = Math.floor(auth.refreshTokenTtl / 1000);
      response.refresh_token = signJwt(
        this.claims(identity.subject, now, refreshTtl, { use: 'refresh' }),
        this.options.key,
      );
    }
    return response;
  }

  /** Claims of a valid access token of ours; undefined for anything else. */
  verifyAccessToken(token: string): TokenClaims | undefined {
    const now = Math.floor(this.options.clock.now() / 1000);
    const cached = this.verified.get(token);
    if (cached) return cached.exp >= now ? cached : undefined;
    const claims = verifyJwt(token, this.options.key, {
      issuer: this.options.auth.issuer,
      audience: this.options.auth.service,
      now,
    });
    if (!claims || claims.use === 'refresh') return undefined;
    if (this.verified.size >= VERIFIED_CACHE_ENTRIES) this.verified.clear();
    this.verified.set(token, claims);
    return claims;
  }

  private async identify(request: TokenRequest, signal?: AbortSignal): Promise<Identity> {
    if (request.grantType === 'refresh_token') {
      const now = Math.floor(this.options.clock.now() / 1000);
      const claims = request.refreshToken
        ? verifyJwt(request.refreshToken, this.options.key, {
            issuer: this.options.auth.issuer,
            audience: this.options.auth.service,
            now,
          })
        : undefined;
      const identity = claims?.use === 'refresh' ? this.options.policy.identityOf(claims.sub) : ANONYMOUS;
      if (identity.kind === 'anonymous')
        throw new AppError('AUTH_CREDENTIALS_INVALID', 'refresh token is invalid or expired; log in again');
      return identity;
    }
    if (request.username === undefined) {
      if (request.grantType === 'password')
        throw new AppError(
          'REGISTRY_TOKEN_REQUEST_INVALID',
          'grant_type=password needs username and password',
        );
      return ANONYMOUS;
    }
    const identity = await this.options.authenticator.authenticate(request.username, request.password ?? '', {
      signal,
    });
    if (!identity)
      throw new AppError('AUTH_CREDENTIALS_INVALID', `wrong username or password for "${request.username}"`);
    return identity;
  }

  private grant(identity: Identity, scopes: Scope[]): AccessEntry[] {
    const out: AccessEntry[] = [];
    for (const scope of scopes) {
      if (scope.type === 'repository' && isValidRepositoryName(scope.name)) {
        const allowed = this.options.policy.actionsFor(identity, scope.name);
        const actions = scope.actions.includes('*')
          ? [...allowed]
          : scope.actions.filter((a) => allowed.has(a as never));
        if (actions.length > 0)
          out.push({ type: 'repository', name: scope.name, actions: [...new Set(actions)] });
      } else if (
        scope.type === 'registry' &&
        scope.name === 'catalog' &&
        this.options.policy.mayListCatalog(identity)
      ) {
        out.push({ type: 'registry', name: 'catalog', actions: ['*'] });
      }
    }
    return out;
  }

  private claims(
    subject: string,
    now: number,
    ttl: number,
    extra: Pick<TokenClaims, 'access' | 'use'>,
  ): TokenClaims {
    const { auth } = this.options;
    return {
      iss: auth.issuer,
      sub: subject,
      aud: auth.service,
      exp: now + ttl,
      nbf: now,
      iat: now,
      jti: newTokenId(),
      ...extra,
    };
  }
}
