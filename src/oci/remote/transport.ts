import type { Readable } from 'node:stream';
import { Pool, type Dispatcher } from '../../kernel/http/index.js';
import {
  type Clock,
  type ErrorCode,
  type Logger,
  OciError,
  type OciErrorContext,
  abortedError,
  isAppError,
  redactUrl,
} from '../../kernel/index.js';
import type { RegistryAuth } from './auth/registry-auth.js';
import { parseWwwAuthenticate } from './challenge.js';
import { MAX_ERROR_BODY_BYTES, registryError } from './error-body.js';
import { type RateLimitInfo, parseRateLimit } from './rate-limit.js';
import {
  type RetryPolicy,
  backoffDelay,
  isRetryableNetworkError,
  isRetryableStatus,
  parseRetryAfter,
} from './retry.js';
import type { Scope } from './scope.js';

export type HttpMethod = 'GET' | 'HEAD' | 'PUT' | 'POST' | 'PATCH' | 'DELETE';

export interface RegistryRequest {
  method: HttpMethod;
  /** A path on the registry (`/v2/…?query`) or an absolute URL on it (upload `Location`s). */
  path: string;
  headers?: Record<string, string>;
  /** Buffers and strings are replayable (retried); streams are sent once. */
  body?: Uint8Array | string | Readable;
  /** Token scopes the request needs. */
  scopes: Scope[];
  /** What the request is about, for error messages. */
  context: OciErrorContext;
  /** The code a 404 maps to for this request (default OCI_NAME_UNKNOWN). */
  notFound?: ErrorCode;
  /** Statuses returned to the caller instead of raised (e.g. 404 for existence checks). */
  accept?: number[];
  signal?: AbortSignal;
}

export interface RegistryResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Dispatcher.ResponseData['body'];
  /** The URL that answered (after redirects). */
  url: URL;
}

export interface TransportTimeouts {
  connectMs: number;
  headersMs: number;
  /** Longest silence while a body streams. */
  bodyIdleMs: number;
}

/** Conservative defaults: slow registries answer headers within a minute; a stalled body for 2 min is dead. */
export const DEFAULT_TIMEOUTS: TransportTimeouts = Object.freeze({
  connectMs: 30_000,
  headersMs: 60_000,
  bodyIdleMs: 120_000,
});

export interface RegistryTransportOptions {
  registry: string;
  /** `https://host[:port]` or `http://…` — decided by the session (insecure and loopback rules). */
  origin: string;
  auth: RegistryAuth;
  /** Dispatcher for redirects to other hosts (blob storage, CDNs). */
  redirectDispatcher: Dispatcher;
  retry: RetryPolicy;
  /** Connections per direction (fetch and push pools are separate so a copy within one registry cannot deadlock). */
  connections: number;
  timeouts: TransportTimeouts;
  insecureTls: boolean;
  userAgent: string;
  clock: Clock;
  logger: Logger;
  random?: () => number;
  onRateLimit?: (info: RateLimitInfo) => void;
}

const MAX_REDIRECTS = 5;

/**
 * HTTP to one registry: keep-alive pools, authentication (one retry on `401` with fresh
 * credentials), retries with back-off for connection errors, 5xx and `429 Retry-After`,
 * manual redirects that never carry `Authorization` to another origin, and errors mapped to
 * stable codes. Knows nothing of manifests or blobs.
 */
export class RegistryTransport {
  readonly registry: string;
  readonly origin: URL;
  private readonly fetchPool: Pool;
  private readonly pushPool: Pool;
  private lastRateLimit: RateLimitInfo | undefined;

  constructor(private readonly options: RegistryTransportOptions) {
    this.registry = options.registry;
    this.origin = new URL(options.origin);
    const poolOptions: Pool.Options = {
      connections: options.connections,
      pipelining: 1,
      keepAliveTimeout: 30_000,
      connectTimeout: options.timeouts.connectMs,
      headersTimeout: options.timeouts.headersMs,
      bodyTimeout: options.timeouts.bodyIdleMs,
      connect: options.insecureTls ? { rejectUnauthorized: false } : undefined,
    };
    this.fetchPool = new Pool(this.origin, poolOptions);
    this.pushPool = new Pool(this.origin, poolOptions);
  }

  get rateLimit(): RateLimitInfo | undefined {
    return this.lastRateLimit;
  }

  /** Sends a request and returns a response whose status is 2xx, 3xx-free, or listed in `accept`. */
  async send(request: RegistryRequest): Promise<RegistryResponse> {
    const replayable = !isStream(request.body);
    let authorization = await this.options.auth.header(request.scopes, request.signal);
    let reauthenticated = false;
    for (let attempt = 1; ; attempt++) {
      let response: RegistryResponse;
      try {
        response = await this.dispatch(request, authorization);
      } catch (error) {
        if (request.signal?.aborted) throw abortedError(request.signal);
        const failure = this.networkError(error, request);
        if (!replayable || !failure.retryable || attempt >= this.options.retry.attempts) throw failure;
        await this.backoff(attempt, undefined, request);
        continue;
      }
      if (response.status === 401 && !reauthenticated && replayable) {
        await discard(response.body);
        reauthenticated = true;
        const challenges = parseWwwAuthenticate(response.headers['www-authenticate']);
        const next = await this.options.auth.onUnauthorized(
          challenges,
          request.scopes,
          authorization,
          request.signal,
        );
        if (next !== undefined) {
          authorization = next;
          attempt--; // authentication is not a failed attempt
          continue;
        }
        throw this.rejectedCredentials(request, authorization) ?? this.failure(response.status, '', request);
      }
      if (response.status === 401 && !request.accept?.includes(401)) {
        const rejected = this.rejectedCredentials(request, authorization);
        if (rejected) {
          await discard(response.body);
          throw rejected;
        }
      }
      if (isRetryableStatus(response.status) && !request.accept?.includes(response.status)) {
        const retryAfter = parseRetryAfter(response.headers['retry-after'], this.options.clock.now());
        if (
          replayable &&
          attempt < this.options.retry.attempts &&
          (retryAfter ?? 0) <= this.options.retry.maxRetryAfterMs
        ) {
          await discard(response.body);
          await this.backoff(attempt, retryAfter, request);
          continue;
        }
        throw await this.failureFrom(response, request, retryAfter);
      }
      if ((response.status >= 200 && response.status < 300) || request.accept?.includes(response.status))
        return response;
      throw await this.failureFrom(response, request);
    }
  }

  /**
   * Runs an operation that reads a response body, again (under the retry policy) when it
   * fails with a retryable error the transport could not see: a body that broke off, or
   * content that did not match its digest.
   */
  async retrying<T>(operation: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await operation();
      } catch (error) {
        const retryable =
          error instanceof OciError &&
          error.retryable &&
          (error.code === 'OCI_CONTENT_TRUNCATED' ||
            error.code === 'OCI_DIGEST_MISMATCH' ||
            error.code === 'OCI_SIZE_INVALID');
        if (!retryable || signal?.aborted || attempt >= this.options.retry.attempts) throw error;
        await this.options.clock.sleep(
          backoffDelay(attempt, this.options.retry, this.options.random),
          signal,
        );
      }
    }
  }

  /** Sends and drains: for requests whose body does not matter. */
  async sendAndDiscard(request: RegistryRequest): Promise<Omit<RegistryResponse, 'body'>> {
    const response = await this.send(request);
    await discard(response.body);
    return response;
  }

  async close(): Promise<void> {
    await Promise.all([this.fetchPool.close(), this.pushPool.close()]);
  }

  private async dispatch(
    request: RegistryRequest,
    authorization: string | undefined,
  ): Promise<RegistryResponse> {
    let url = new URL(request.path, this.origin);
    if (url.origin !== this.origin.origin) {
      throw new OciError(
        'OCI_PROTOCOL_ERROR',
        `registry ${this.registry} sent a location on another origin: ${redactUrl(url)}`,
        request.context,
      );
    }
    const pool = request.method === 'GET' || request.method === 'HEAD' ? this.fetchPool : this.pushPool;
    let dispatcher: Dispatcher = pool;
    let auth = authorization;
    for (let hops = 0; ; hops++) {
      const headers: Record<string, string> = { 'user-agent': this.options.userAgent, ...request.headers };
      if (auth) headers.authorization = auth;
      const result = await dispatcher.request({
        origin: url.origin,
        path: `${url.pathname}${url.search}`,
        method: request.method,
        headers,
        body: request.body as Dispatcher.DispatchOptions['body'],
        signal: request.signal,
        // undici closes the connection after every HEAD unless told otherwise (a guard against
        // servers that send a body anyway); registries answer HEAD correctly, and existence
        // checks are most of a warm copy's requests, so the registry's keep-alive is kept.
        ...(request.method === 'HEAD' && dispatcher === pool ? { reset: false } : {}),
      });
      this.observeRateLimit(result.headers);
      const location = header(result.headers, 'location');
      const isRedirect =
        result.statusCode >= 300 && result.statusCode < 400 && result.statusCode !== 304 && location;
      if (!isRedirect || (request.method !== 'GET' && request.method !== 'HEAD')) {
        return { status: result.statusCode, headers: result.headers, body: result.body, url };
      }
      await discard(result.body);
      if (hops >= MAX_REDIRECTS) {
        throw new OciError(
          'OCI_PROTOCOL_ERROR',
          `too many redirects from ${redactUrl(url)}`,
          request.context,
        );
      }
      const next = new URL(location, url);
      if (next.protocol !== 'https:' && next.protocol !== 'http:') {
        throw new OciError(
          'OCI_PROTOCOL_ERROR',
          `redirect to unsupported URL scheme ${next.protocol}`,
          request.context,
        );
      }
      if (next.origin !== this.origin.origin) {
        // Blob storage and CDNs: the pre-signed URL is the credential; ours must not follow.
        auth = undefined;
        dispatcher = this.options.redirectDispatcher;
      }
      url = next;
    }
  }

  private observeRateLimit(headers: Record<string, string | string[] | undefined>): void {
    const info = parseRateLimit(headers);
    if (!info) return;
    this.lastRateLimit = info;
    this.options.onRateLimit?.(info);
    if (info.remaining <= Math.max(1, Math.floor(info.limit / 20))) {
      this.options.logger.warn({ registry: this.registry, ...info }, 'registry pull quota nearly exhausted');
    }
  }

  private async backoff(
    attempt: number,
    retryAfterMs: number | undefined,
    request: RegistryRequest,
  ): Promise<void> {
    const delay = retryAfterMs ?? backoffDelay(attempt, this.options.retry, this.options.random);
    this.options.logger.debug(
      {
        registry: this.registry,
        method: request.method,
        path: redactUrl(request.path),
        attempt,
        delayMs: delay,
      },
      'retrying registry request',
    );
    await this.options.clock.sleep(delay, request.signal);
  }

  private async failureFrom(
    response: RegistryResponse,
    request: RegistryRequest,
    retryAfterMs?: number,
  ): Promise<OciError> {
    let text = '';
    if (request.method === 'HEAD') await discard(response.body);
    else text = await readText(response.body, MAX_ERROR_BODY_BYTES);
    return this.failure(response.status, text, request, retryAfterMs);
  }

  private failure(status: number, text: string, request: RegistryRequest, retryAfterMs?: number): OciError {
    const context: OciErrorContext = { registry: this.registry, ...request.context };
    if (retryAfterMs !== undefined) context.retryAfterMs = retryAfterMs;
    return registryError(status, text, context, request.notFound);
  }

  /** A `401` in answer to our own Basic credentials: they are wrong, not missing. */
  private rejectedCredentials(
    request: RegistryRequest,
    authorization: string | undefined,
  ): OciError | undefined {
    const user = this.options.auth.basicUser(authorization);
    if (user === undefined) return undefined;
    return new OciError(
      'AUTH_CREDENTIALS_INVALID',
      `registry ${this.registry} rejected the credentials of user "${user}" (401) for ${request.method} ${redactUrl(request.path)}; check them with \`airlock login ${this.registry}\``,
      { registry: this.registry, ...request.context, httpStatus: 401 },
    );
  }

  private networkError(error: unknown, request: RegistryRequest): OciError {
    if (isAppError(error) && error instanceof OciError) return error;
    const code = (error as { code?: string }).code ?? '';
    const timeout = /TIMEOUT/.test(code) || code === 'ETIMEDOUT';
    const where = `${request.method} ${redactUrl(new URL(request.path, this.origin))}`;
    const reason = error instanceof Error ? error.message : String(error);
    return new OciError(
      timeout ? 'OCI_TIMEOUT' : 'OCI_REGISTRY_UNREACHABLE',
      `${where} failed: ${reason}${code ? ` (${code})` : ''}`,
      { registry: this.registry, ...request.context },
      { cause: error, retryable: isRetryableNetworkError(error) },
    );
  }
}

export function header(
  headers: Record<string, string | string[] | undefined>,
  name: string,
): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function isStream(body: RegistryRequest['body']): body is Readable {
  return typeof body === 'object' && body !== null && typeof (body as Readable).pipe === 'function';
}

/** Drains a body so its connection returns to the pool. */
export async function discard(body: Dispatcher.ResponseData['body']): Promise<void> {
  try {
    await body.dump({ limit: 256 * 1024 });
  } catch {
    // A body that fails while being thrown away does not matter; the socket is closed by undici.
  }
}

/** Reads at most `limit` bytes of a body as text, discarding the rest. */
export async function readText(body: Dispatcher.ResponseData['body'], limit: number): Promise<string> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of body) {
    const buffer = Buffer.from(chunk as Uint8Array);
    if (total + buffer.length > limit) {
      chunks.push(buffer.subarray(0, limit - total));
      body.destroy();
      break;
    }
    chunks.push(buffer);
    total += buffer.length;
  }
  return Buffer.concat(chunks).toString('utf8');
}
