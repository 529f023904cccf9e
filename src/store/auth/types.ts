/**
 * API tokens as the store keeps them. Roles mirror the engine's `Role`: the store sits below
 * the engine and cannot import it, and the two are checked to agree where they meet (the API).
 */
export const API_ROLES = ['viewer', 'operator', 'approver', 'admin'] as const;
export type ApiRole = (typeof API_ROLES)[number];

export interface ApiTokenRecord {
  /** `tok_…`: names the token in lists, audit entries and `airlock token revoke`. */
  id: string;
  /** Who acts with it: `user:alice`, `robot:ci`. */
  subject: string;
  roles: ApiRole[];
  description?: string;
  createdAt: string;
  createdBy: string;
  expiresAt?: string;
  /** Updated at most once per {@link LAST_USED_RESOLUTION_MS}. */
  lastUsedAt?: string;
  revokedAt?: string;
  revokedBy?: string;
}

export interface NewApiToken {
  subject: string;
  roles: ApiRole[];
  description?: string;
  /** RFC 3339; none means the token does not expire. */
  expiresAt?: string;
  /** Subject of whoever created it (`system:bootstrap` for the first admin token). */
  createdBy: string;
}

export interface CreatedApiToken {
  /** The secret: returned once, stored only as a hash. */
  token: string;
  record: ApiTokenRecord;
}

/** What a presented secret turned out to be. */
export type TokenAuthentication =
  | {
      status: 'valid';
      record: ApiTokenRecord;
      /** True for the first use in a {@link LAST_USED_RESOLUTION_MS} window, across all processes: the use worth auditing. */
      recordedUse: boolean;
    }
  | { status: 'expired' | 'revoked'; record: ApiTokenRecord }
  | { status: 'unknown' };

export interface StoreCallOptions {
  signal?: AbortSignal;
}

/**
 * Last-used times are written at most this often per token (five minutes), so that a busy CI
 * robot costs one write — and one `token.use` audit entry — per window, not one per request.
 */
export const LAST_USED_RESOLUTION_MS = 5 * 60_000;

/** The capability the API authenticates with and administers tokens through. */
export interface TokenStore {
  create(input: NewApiToken, options?: StoreCallOptions): Promise<CreatedApiToken>;
  /** Creates the token only when no token (live or revoked) exists yet; atomic across processes. */
  createFirst(input: NewApiToken, options?: StoreCallOptions): Promise<CreatedApiToken | undefined>;
  authenticate(secret: string, options?: StoreCallOptions): Promise<TokenAuthentication>;
  get(id: string, options?: StoreCallOptions): Promise<ApiTokenRecord | undefined>;
  /** Newest first. */
  list(options?: StoreCallOptions & { includeRevoked?: boolean }): Promise<ApiTokenRecord[]>;
  /** Undefined when no such token; a revoked token stays revoked (its first revocation is kept). */
  revoke(id: string, by: string, options?: StoreCallOptions): Promise<ApiTokenRecord | undefined>;
  /** Resolves when the database answers (readiness). */
  ping(options?: StoreCallOptions): Promise<void>;
}
