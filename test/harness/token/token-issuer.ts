import { randomBytes, type KeyObject } from 'node:crypto';
import { FULL_ACCESS, grantAccess, type AccessRule } from './access.js';
import { signRegistryToken, type TokenAccess } from './jwt.js';

export interface TokenUser {
  password: string;
  /**
   * A long-lived token accepted as `refresh_token` in the OAuth2 `POST` (like the identity
   * tokens ACR hands out), so clients can be tested on the exchange without a password.
   */
  identityToken?: string;
  /** What the user may do; defaults to everything. */
  access?: AccessRule[];
}

/** Everything about the token service a test may change, also after start (`configure`). */
export interface TokenServerBehaviour {
  /** User name → password, or a full user entry. */
  users: Record<string, string | TokenUser>;
  /** Repository patterns anonymous clients may pull; everything else is refused to them. */
  anonymousPull: (string | RegExp)[];
  /** `expires_in` in answers, in seconds, or `'omit'` (clients must then assume 60 s). */
  expiresIn: number | 'omit';
  /**
   * How long the JWT itself is valid (`exp - iat`), in seconds; defaults to `expiresIn`, or
   * 60 when that is omitted. Note that distribution 2.8 accepts tokens up to 60 s past `exp`.
   */
  tokenLifetime?: number;
  /** `issued_at` in answers: the current time, a fixed time, or omitted. */
  issuedAt: 'now' | 'omit' | Date;
  /**
   * Which field carries the token. By default a `GET` answers with both `token` and
   * `access_token`, as Docker Hub does, and the OAuth2 `POST` with `access_token` only.
   */
  tokenField?: 'token' | 'access_token' | 'both';
}

export const DEFAULT_BEHAVIOUR: TokenServerBehaviour = {
  users: {},
  anonymousPull: [],
  expiresIn: 300,
  issuedAt: 'now',
};

/** Who a request authenticated as; `undefined` user for anonymous requests. */
export interface Principal {
  username?: string;
}

export interface IssueRequest {
  principal: Principal;
  scopes: TokenAccess[];
  /** The endpoint asked: decides the default answer field. */
  method: 'GET' | 'POST';
  /** A refresh token to hand back (`access_type=offline`, `offline_token=true`). */
  refreshToken?: string;
}

export interface IssueResult {
  body: Record<string, string | number>;
  granted: TokenAccess[];
}

export interface SigningKey {
  privateKey: KeyObject;
  x5c: string[];
}

/** Credential checks, refresh tokens and token minting, separate from the HTTP plumbing. */
export class TokenIssuer {
  behaviour: TokenServerBehaviour;
  private readonly refreshTokens = new Map<string, string>();

  constructor(
    readonly service: string,
    readonly issuer: string,
    private readonly key: SigningKey,
    behaviour: Partial<TokenServerBehaviour>,
  ) {
    this.behaviour = { ...DEFAULT_BEHAVIOUR, ...behaviour };
  }

  /** True when the user exists and the password is right. */
  checkPassword(username: string, password: string): boolean {
    const user = this.user(username);
    return user !== undefined && user.password === password;
  }

  /** The user a refresh token (issued here, or a configured identity token) belongs to. */
  userOfRefreshToken(token: string): string | undefined {
    const issued = this.refreshTokens.get(token);
    if (issued !== undefined) return issued;
    return Object.keys(this.behaviour.users).find((name) => {
      const identity = this.user(name)?.identityToken;
      return identity !== undefined && identity === token;
    });
  }

  newRefreshToken(username: string): string {
    const token = randomBytes(24).toString('base64url');
    this.refreshTokens.set(token, username);
    return token;
  }

  issue(request: IssueRequest): IssueResult {
    const granted = grantAccess(
      request.scopes,
      this.rulesOf(request.principal),
      request.principal.username !== undefined,
    );
    const token = this.mint(granted, request.principal.username ?? '');
    const body: Record<string, string | number> = {};
    const field = this.behaviour.tokenField ?? (request.method === 'GET' ? 'both' : 'access_token');
    if (field !== 'access_token') body.token = token;
    if (field !== 'token') body.access_token = token;
    if (this.behaviour.expiresIn !== 'omit') body.expires_in = this.behaviour.expiresIn;
    const issuedAt = this.behaviour.issuedAt;
    if (issuedAt !== 'omit') body.issued_at = (issuedAt === 'now' ? new Date() : issuedAt).toISOString();
    if (request.refreshToken) body.refresh_token = request.refreshToken;
    return { body, granted };
  }

  /** A signed token with exactly this access, for tests that skip the HTTP exchange. */
  mint(access: TokenAccess[], subject: string): string {
    const now = Math.floor(Date.now() / 1000);
    const { expiresIn, tokenLifetime } = this.behaviour;
    const lifetime = tokenLifetime ?? (expiresIn === 'omit' ? 60 : expiresIn);
    const claims = {
      iss: this.issuer,
      sub: subject,
      aud: this.service,
      exp: now + lifetime,
      nbf: now,
      iat: now,
      jti: randomBytes(12).toString('hex'),
      access,
    };
    return signRegistryToken(claims, this.key);
  }

  private rulesOf(principal: Principal): readonly AccessRule[] {
    if (principal.username === undefined) {
      return this.behaviour.anonymousPull.map((repository) => ({ repository, actions: ['pull'] }));
    }
    return this.user(principal.username)?.access ?? FULL_ACCESS;
  }

  private user(username: string): TokenUser | undefined {
    if (!Object.hasOwn(this.behaviour.users, username)) return undefined;
    const entry = this.behaviour.users[username]!;
    return typeof entry === 'string' ? { password: entry } : entry;
  }
}
