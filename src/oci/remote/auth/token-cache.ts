import type { Clock } from '../../../kernel/index.js';

/** Docker's token spec: a token without `expires_in` lives 60 seconds. */
export const DEFAULT_TOKEN_LIFETIME_MS = 60_000;

/** Refresh this long before expiry (capped at a quarter of the lifetime for short tokens). */
const REFRESH_MARGIN_MS = 15_000;

export interface CachedToken {
  token: string;
  /** Epoch ms after which the token must not be used. */
  expiresAt: number;
  /** Epoch ms after which it is refreshed before use. */
  refreshAt: number;
}

/**
 * Bearer tokens per (registry, scope set, credential), with single-flight fetching so that
 * fifty concurrent blob requests cause one token request, not fifty.
 */
export class TokenCache {
  private readonly tokens = new Map<string, CachedToken>();
  private readonly inflight = new Map<string, Promise<CachedToken>>();

  constructor(private readonly clock: Clock) {}

  /** A usable token for `key`, fetching (once, shared) when missing or due for refresh. */
  async get(key: string, fetch: () => Promise<CachedToken>): Promise<CachedToken> {
    const cached = this.tokens.get(key);
    if (cached && this.clock.now() < cached.refreshAt) return cached;
    const running = this.inflight.get(key);
    if (running) return running;
    const pending = fetch()
      .then(
        (token) => {
          this.tokens.set(key, token);
          return token;
        },
        (error: unknown) => {
          // An early refresh that failed leaves a token that still works: use it until it expires.
          const current = this.tokens.get(key);
          if (current && this.clock.now() < current.expiresAt) return current;
          throw error;
        },
      )
      .finally(() => this.inflight.delete(key));
    this.inflight.set(key, pending);
    return pending;
  }

  /** Forgets a token the registry rejected, so the next use fetches a fresh one. */
  invalidate(key: string, token?: string): void {
    const cached = this.tokens.get(key);
    if (cached && (token === undefined || cached.token === token)) this.tokens.delete(key);
  }

  get size(): number {
    return this.tokens.size;
  }
}

/** Expiry bookkeeping from a token response (`expires_in`, `issued_at`), 60 s when absent. */
export function tokenTimes(
  now: number,
  expiresInSeconds: unknown,
  issuedAt: unknown,
): Pick<CachedToken, 'expiresAt' | 'refreshAt'> {
  const lifetime =
    typeof expiresInSeconds === 'number' && Number.isFinite(expiresInSeconds) && expiresInSeconds > 0
      ? expiresInSeconds * 1000
      : DEFAULT_TOKEN_LIFETIME_MS;
  const issued = typeof issuedAt === 'string' ? Date.parse(issuedAt) : Number.NaN;
  // A registry clock ahead of ours must not make a fresh token look expired; trust issued_at only when it is in the past.
  const start = Number.isFinite(issued) && issued <= now ? issued : now;
  const expiresAt = start + lifetime;
  const margin = Math.min(REFRESH_MARGIN_MS, lifetime / 4);
  return { expiresAt, refreshAt: expiresAt - margin };
}
