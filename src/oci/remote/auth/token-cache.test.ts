import { describe, expect, it } from 'vitest';
import { FakeClock } from '../../../kernel/testing/fake-clock.js';
import { type CachedToken, DEFAULT_TOKEN_LIFETIME_MS, TokenCache, tokenTimes } from './token-cache.js';

const KEY = 'docker.io|repository:library/python:pull|anonymous';

/** A token fetcher that counts its calls and hands out numbered tokens valid per tokenTimes. */
function fetcher(clock: FakeClock, expiresIn?: number) {
  let calls = 0;
  const fetch = async (): Promise<CachedToken> => {
    const n = ++calls;
    await Promise.resolve();
    return { token: `token-${n}`, ...tokenTimes(clock.now(), expiresIn, undefined) };
  };
  return { fetch, calls: () => calls };
}

describe('TokenCache', () => {
  it('fetches once for fifty concurrent requests', async () => {
    const clock = new FakeClock();
    const cache = new TokenCache(clock);
    const source = fetcher(clock, 300);
    const tokens = await Promise.all(Array.from({ length: 50 }, () => cache.get(KEY, source.fetch)));
    expect(source.calls()).toBe(1);
    expect(new Set(tokens.map((t) => t.token))).toEqual(new Set(['token-1']));
    expect(cache.size).toBe(1);
  });

  it('keeps tokens apart per key', async () => {
    const clock = new FakeClock();
    const cache = new TokenCache(clock);
    const source = fetcher(clock, 300);
    const [a, b] = await Promise.all([cache.get('a', source.fetch), cache.get('b', source.fetch)]);
    expect(a.token).not.toBe(b.token);
    expect(source.calls()).toBe(2);
  });

  it('serves the cached token until its refresh time, then fetches a new one', async () => {
    const clock = new FakeClock();
    const cache = new TokenCache(clock);
    const source = fetcher(clock, 300);
    const first = await cache.get(KEY, source.fetch);
    expect(first.refreshAt).toBe(clock.now() + 285_000);

    clock.advance(284_999);
    expect((await cache.get(KEY, source.fetch)).token).toBe('token-1');
    expect(source.calls()).toBe(1);

    // Refreshed before it expires, so no request goes out with a token about to lapse.
    clock.advance(1);
    const second = await cache.get(KEY, source.fetch);
    expect(second.token).toBe('token-2');
    expect(clock.now()).toBeLessThan(first.expiresAt);
    expect(source.calls()).toBe(2);
  });

  it('shares one refresh among concurrent callers', async () => {
    const clock = new FakeClock();
    const cache = new TokenCache(clock);
    const source = fetcher(clock);
    await cache.get(KEY, source.fetch);
    clock.advance(DEFAULT_TOKEN_LIFETIME_MS);
    const refreshed = await Promise.all(Array.from({ length: 20 }, () => cache.get(KEY, source.fetch)));
    expect(refreshed.every((t) => t.token === 'token-2')).toBe(true);
    expect(source.calls()).toBe(2);
  });

  it('shares a failure, caches nothing and tries again on the next call', async () => {
    const clock = new FakeClock();
    const cache = new TokenCache(clock);
    let calls = 0;
    const failing = async (): Promise<CachedToken> => {
      calls++;
      await Promise.resolve();
      throw new Error('token endpoint down');
    };
    const results = await Promise.allSettled([cache.get(KEY, failing), cache.get(KEY, failing)]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    expect(calls).toBe(1);
    expect(cache.size).toBe(0);
    const source = fetcher(clock, 60);
    expect((await cache.get(KEY, source.fetch)).token).toBe('token-1');
  });

  it('keeps using a token whose early refresh failed until it expires', async () => {
    const clock = new FakeClock();
    const cache = new TokenCache(clock);
    const source = fetcher(clock, 300);
    await cache.get(KEY, source.fetch);
    const failing = async (): Promise<CachedToken> => {
      await Promise.resolve();
      throw new Error('token endpoint down');
    };
    clock.advance(290_000); // in the refresh window, 10 s before expiry
    expect((await cache.get(KEY, failing)).token).toBe('token-1');
    clock.advance(10_000); // expired: the failure is the caller's
    await expect(cache.get(KEY, failing)).rejects.toThrow('token endpoint down');
  });

  it('invalidates only the token the registry rejected', async () => {
    const clock = new FakeClock();
    const cache = new TokenCache(clock);
    const source = fetcher(clock, 300);
    await cache.get(KEY, source.fetch);

    cache.invalidate(KEY, 'token-0');
    cache.invalidate('other-key', 'token-1');
    expect((await cache.get(KEY, source.fetch)).token).toBe('token-1');
    expect(source.calls()).toBe(1);

    cache.invalidate(KEY, 'token-1');
    expect(cache.size).toBe(0);
    expect((await cache.get(KEY, source.fetch)).token).toBe('token-2');

    cache.invalidate(KEY);
    expect((await cache.get(KEY, source.fetch)).token).toBe('token-3');
  });
});

describe('tokenTimes', () => {
  const now = Date.UTC(2026, 0, 1, 12, 0, 0);

  it('honours expires_in, refreshing 15 s early', () => {
    expect(tokenTimes(now, 300, undefined)).toEqual({ expiresAt: now + 300_000, refreshAt: now + 285_000 });
  });

  it('assumes 60 s without a usable expires_in', () => {
    for (const value of [undefined, null, 0, -5, '300', Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(tokenTimes(now, value, undefined).expiresAt, String(value)).toBe(
        now + DEFAULT_TOKEN_LIFETIME_MS,
      );
    }
    expect(DEFAULT_TOKEN_LIFETIME_MS).toBe(60_000);
    expect(tokenTimes(now, undefined, undefined).refreshAt).toBe(now + 45_000);
  });

  it('refreshes short-lived tokens a quarter of their life early', () => {
    expect(tokenTimes(now, 20, undefined)).toEqual({ expiresAt: now + 20_000, refreshAt: now + 15_000 });
  });

  it('counts the lifetime from issued_at when it lies in the past', () => {
    const issued = new Date(now - 10_000).toISOString();
    expect(tokenTimes(now, 300, issued)).toEqual({ expiresAt: now + 290_000, refreshAt: now + 275_000 });
  });

  it('ignores issued_at in the future or unreadable', () => {
    const ahead = new Date(now + 3_600_000).toISOString();
    for (const issued of [ahead, 'yesterday-ish', 1_700_000_000, '']) {
      expect(tokenTimes(now, 300, issued), String(issued)).toEqual({
        expiresAt: now + 300_000,
        refreshAt: now + 285_000,
      });
    }
  });
});
