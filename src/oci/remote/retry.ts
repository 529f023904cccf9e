/**
 * Retry is a value: which failures to retry, how long to wait, and how many times.
 * The transport applies it to replayable requests; the copy engine applies it to whole
 * blob transfers (whose streamed bodies cannot be replayed by the transport).
 */
export interface RetryPolicy {
  /** Total attempts including the first. */
  attempts: number;
  /** First back-off delay; doubled each attempt (full jitter). */
  initialDelayMs: number;
  /** Upper bound of a single back-off delay. */
  maxDelayMs: number;
  /**
   * Longest `Retry-After` the transport will wait out by itself; longer waits (quota
   * exhaustion) surface as OCI_TOO_MANY_REQUESTS with `retryAfterMs` for the caller to plan.
   */
  maxRetryAfterMs: number;
}

/** Defaults sized for flaky public registries: ~0.2+0.4+0.8+1.6 s of jittered back-off over 5 attempts. */
export const DEFAULT_RETRY_POLICY: RetryPolicy = Object.freeze({
  attempts: 5,
  initialDelayMs: 200,
  maxDelayMs: 10_000,
  maxRetryAfterMs: 60_000,
});

/** Exponential back-off with full jitter (AWS architecture blog, "Exponential Backoff And Jitter"). */
export function backoffDelay(
  attempt: number,
  policy: RetryPolicy,
  random: () => number = Math.random,
): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.initialDelayMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

/** `Retry-After` (RFC 9110 §10.2.3): delay-seconds or an HTTP-date; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | string[] | undefined, now: number): number | undefined {
  const text = Array.isArray(value) ? value[0] : value;
  if (text === undefined || text.trim() === '') return undefined;
  if (/^\s*\d+\s*$/.test(text)) return Number(text.trim()) * 1000;
  const date = parseHttpDate(text.trim());
  return date === undefined ? undefined : Math.max(0, date - now);
}

// RFC 9110 §5.6.7: IMF-fixdate, and the obsolete RFC 850 and asctime forms recipients must accept.
// Checked by shape first because Date.parse also accepts free text such as "foo 1" or "-5".
const IMF_FIXDATE = /^[a-z]{3}, \d{2} [a-z]{3} \d{4} \d{2}:\d{2}:\d{2} GMT$/i;
const RFC850_DATE = /^[a-z]{6,9}, \d{2}-[a-z]{3}-\d{2} \d{2}:\d{2}:\d{2} GMT$/i;
const ASCTIME_DATE = /^[a-z]{3} [a-z]{3} [ \d]\d \d{2}:\d{2}:\d{2} \d{4}$/i;

function parseHttpDate(text: string): number | undefined {
  let date = Number.NaN;
  if (IMF_FIXDATE.test(text) || RFC850_DATE.test(text)) date = Date.parse(text);
  // asctime carries no zone; HTTP dates are UTC, whereas Date.parse would read it as local time.
  else if (ASCTIME_DATE.test(text)) date = Date.parse(`${text} GMT`);
  return Number.isNaN(date) ? undefined : date;
}

/** Error codes of connection-level failures that may pass on another attempt. */
export const RETRYABLE_NETWORK_CODES: ReadonlySet<string> = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'EAI_AGAIN',
  'ENETUNREACH',
  'EHOSTUNREACH',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'UND_ERR_CLOSED',
]);

/** Connection-level failures worth another attempt (resets, refused connections, time-outs). */
export function isRetryableNetworkError(error: unknown): boolean {
  return errorCodes(error).some((code) => RETRYABLE_NETWORK_CODES.has(code));
}

/** The `code`s along an error's cause chain (undici wraps socket errors), outermost first. */
export function errorCodes(error: unknown): string[] {
  const codes: string[] = [];
  let current: unknown = error;
  for (let depth = 0; depth < 4 && current instanceof Error; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string') codes.push(code);
    current = current.cause;
  }
  return codes;
}

export function isRetryableStatus(status: number): boolean {
  return status === 429 || status === 500 || status === 502 || status === 503 || status === 504;
}
