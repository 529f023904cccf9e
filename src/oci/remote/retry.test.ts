import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_RETRY_POLICY,
  type RetryPolicy,
  backoffDelay,
  isRetryableNetworkError,
  isRetryableStatus,
  parseRetryAfter,
} from './retry.js';

const NOW = Date.UTC(2026, 0, 1, 12, 0, 0);

describe('backoffDelay', () => {
  const policyArb: fc.Arbitrary<RetryPolicy> = fc.record({
    attempts: fc.integer({ min: 1, max: 10 }),
    initialDelayMs: fc.integer({ min: 1, max: 5_000 }),
    maxDelayMs: fc.integer({ min: 1, max: 120_000 }),
    maxRetryAfterMs: fc.constant(60_000),
  });

  it('stays within [ceiling/2, ceiling], the ceiling doubling per attempt up to maxDelayMs', () => {
    fc.assert(
      fc.property(
        policyArb,
        fc.integer({ min: 0, max: 60 }),
        fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
        (policy, attempt, r) => {
          const ceiling = Math.min(policy.maxDelayMs, policy.initialDelayMs * 2 ** Math.max(0, attempt - 1));
          const delay = backoffDelay(attempt, policy, () => r);
          expect(delay).toBeGreaterThanOrEqual(Math.floor(ceiling / 2));
          expect(delay).toBeLessThanOrEqual(Math.ceil(ceiling));
          expect(delay).toBeLessThanOrEqual(policy.maxDelayMs);
          expect(Number.isInteger(delay)).toBe(true);
        },
      ),
    );
  });

  it('follows the default policy: 100–200 ms, then 200–400 ms, … capped at 10 s', () => {
    const low = () => 0;
    const high = () => 0.999999;
    expect([1, 2, 3, 4].map((a) => backoffDelay(a, DEFAULT_RETRY_POLICY, low))).toEqual([100, 200, 400, 800]);
    expect([1, 2, 3, 4].map((a) => backoffDelay(a, DEFAULT_RETRY_POLICY, high))).toEqual([
      200, 400, 800, 1600,
    ]);
    expect(backoffDelay(50, DEFAULT_RETRY_POLICY, high)).toBe(10_000);
    expect(backoffDelay(1_000, DEFAULT_RETRY_POLICY, low)).toBe(5_000);
    expect(backoffDelay(0, DEFAULT_RETRY_POLICY, low)).toBe(100);
  });
});

describe('parseRetryAfter', () => {
  it('reads delay-seconds', () => {
    expect(parseRetryAfter('0', NOW)).toBe(0);
    expect(parseRetryAfter('120', NOW)).toBe(120_000);
    expect(parseRetryAfter(' 7 ', NOW)).toBe(7_000);
    expect(parseRetryAfter(['3', '9'], NOW)).toBe(3_000);
  });

  it('reads the three HTTP-date forms of RFC 9110 §5.6.7 as UTC', () => {
    const at = new Date(NOW + 90_000);
    expect(parseRetryAfter(at.toUTCString(), NOW)).toBe(90_000);
    expect(parseRetryAfter('Thursday, 01-Jan-26 12:01:30 GMT', NOW)).toBe(90_000);
    expect(parseRetryAfter('Thu Jan  1 12:01:30 2026', NOW)).toBe(90_000);
  });

  it('reads asctime dates as UTC whatever the local time zone', () => {
    const saved = process.env.TZ;
    process.env.TZ = 'America/New_York';
    try {
      expect(new Date(NOW).getHours()).not.toBe(new Date(NOW).getUTCHours());
      expect(parseRetryAfter('Thu Jan  1 12:01:30 2026', NOW)).toBe(90_000);
    } finally {
      if (saved === undefined) delete process.env.TZ;
      else process.env.TZ = saved;
    }
  });

  it('gives 0 for a date in the past', () => {
    expect(parseRetryAfter('Wed, 21 Oct 2015 07:28:00 GMT', NOW)).toBe(0);
  });

  it('gives undefined for absent or unreadable values', () => {
    for (const value of [
      undefined,
      '',
      '   ',
      [],
      'soon',
      '-5',
      '1.5',
      '1e3',
      'Infinity',
      '12abc',
      'foo 1',
      'tomorrow 12',
      '2026-01-01T12:01:30Z',
      'Thu, 01 Jan 2026 12:01:30 GMT trailing',
    ]) {
      expect(parseRetryAfter(value, NOW), JSON.stringify(value)).toBeUndefined();
    }
  });
});

function withCode(message: string, code: string, cause?: unknown): Error {
  return Object.assign(new Error(message, cause === undefined ? undefined : { cause }), { code });
}

describe('isRetryableNetworkError', () => {
  it('recognises connection failures directly and through cause chains', () => {
    expect(isRetryableNetworkError(withCode('read ECONNRESET', 'ECONNRESET'))).toBe(true);
    // undici's fetch: TypeError('fetch failed') caused by a SocketError or a system error.
    expect(
      isRetryableNetworkError(
        new TypeError('fetch failed', { cause: withCode('other side closed', 'UND_ERR_SOCKET') }),
      ),
    ).toBe(true);
    const deep = new Error('copy failed', {
      cause: new Error('request failed', {
        cause: new TypeError('fetch failed', { cause: withCode('x', 'EAI_AGAIN') }),
      }),
    });
    expect(isRetryableNetworkError(deep)).toBe(true);
  });

  it('does not retry other errors', () => {
    expect(isRetryableNetworkError(withCode('no such host', 'ENOTFOUND'))).toBe(false);
    expect(isRetryableNetworkError(withCode('bad certificate', 'CERT_HAS_EXPIRED'))).toBe(false);
    expect(isRetryableNetworkError(new Error('plain'))).toBe(false);
    expect(isRetryableNetworkError({ code: 'ECONNRESET' })).toBe(false);
    expect(isRetryableNetworkError(undefined)).toBe(false);
    expect(isRetryableNetworkError(Object.assign(new Error('numeric'), { code: 104 }))).toBe(false);
  });

  it('stops following causes after a few levels and survives cycles', () => {
    const cyclic: Error & { cause?: unknown } = new Error('a');
    cyclic.cause = cyclic;
    expect(isRetryableNetworkError(cyclic)).toBe(false);
    let chain: Error = withCode('bottom', 'ECONNRESET');
    for (let i = 0; i < 10; i++) chain = new Error(`level ${i}`, { cause: chain });
    expect(isRetryableNetworkError(chain)).toBe(false);
  });
});

describe('isRetryableStatus', () => {
  it('retries 429 and transient server errors only', () => {
    expect([429, 500, 502, 503, 504].every(isRetryableStatus)).toBe(true);
    expect([400, 401, 403, 404, 405, 413, 416, 501, 505].some(isRetryableStatus)).toBe(false);
  });
});
