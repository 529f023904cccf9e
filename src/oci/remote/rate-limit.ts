/**
 * Docker Hub reports its pull quota in `ratelimit-limit` / `ratelimit-remaining` headers
 * (`100;w=21600`: 100 pulls per 21,600 s window) and `docker-ratelimit-source`.
 * Surfaced to callers so that mirror logic can plan around the quota.
 */
export interface RateLimitInfo {
  limit: number;
  remaining: number;
  /** Window length in seconds, when stated. */
  windowSeconds?: number;
  /** What the quota is counted against (an IP or an account id). */
  source?: string;
}

export function parseRateLimit(
  headers: Record<string, string | string[] | undefined>,
): RateLimitInfo | undefined {
  const limit = parseQuota(first(headers['ratelimit-limit']));
  const remaining = parseQuota(first(headers['ratelimit-remaining']));
  if (!limit || !remaining) return undefined;
  const info: RateLimitInfo = { limit: limit.value, remaining: remaining.value };
  const window = remaining.window ?? limit.window;
  if (window !== undefined) info.windowSeconds = window;
  const source = first(headers['docker-ratelimit-source']);
  if (source) info.source = source;
  return info;
}

function parseQuota(text: string | undefined): { value: number; window?: number } | undefined {
  if (!text) return undefined;
  const [count, ...params] = text.split(';');
  const value = Number(count?.trim());
  if (!Number.isFinite(value)) return undefined;
  const out: { value: number; window?: number } = { value };
  for (const param of params) {
    const match = /^\s*w\s*=\s*(\d+)\s*$/.exec(param);
    if (match) out.window = Number(match[1]);
  }
  return out;
}

function first(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
