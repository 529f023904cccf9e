import { type Dispatcher, request } from '../../kernel/http/index.js';
import type { ActionContext, ActionFailure } from '../../engine/actions/contract.js';
import { redactUrl } from '../../kernel/index.js';
import {
  RETRYABLE_NETWORK_CODES as REGISTRY_RETRYABLE_CODES,
  errorCodes,
  parseRetryAfter,
} from '../../oci/remote/index.js';
import { actionFailure, invalidInput } from './failure.js';
import { excerptOf, maskSecrets } from './secrets.js';

export type JsonMethod = 'POST' | 'PUT' | 'PATCH';

export interface SendJsonOptions {
  method: JsonMethod;
  url: string;
  /** The exact bytes sent (and signed). */
  body: Uint8Array;
  /** Caller's headers; they win over the defaults, except the ones the transport owns. */
  headers: Record<string, string>;
  /** Longest response body read (a longer one fails the step); 0 reads none and discards it. */
  maxResponseBytes: number;
  /**
   * How much of the URL logs and messages show: the path is left out for endpoints whose
   * path is itself a credential (Slack's and Teams' incoming webhooks). Default `path`.
   */
  show?: 'origin' | 'path';
  /** Secret values to mask in any message quoting the endpoint. */
  secrets: readonly string[];
  context: ActionContext;
}

export interface JsonReply {
  status: number;
  body: Buffer;
  contentType: string | undefined;
}

/** Headers the HTTP client computes itself; letting a workflow set them would corrupt the request. */
const TRANSPORT_HEADERS = new Set([
  'host',
  'content-length',
  'transfer-encoding',
  'connection',
  'upgrade',
  'te',
]);

/**
 * Sends JSON to an endpoint and returns its 2xx answer. Everything else becomes an
 * ActionFailure that says whether another attempt may help: connection failures, 408, 429
 * and 5xx (but 501 and 505) may pass later (`retryAfterMs` carries the endpoint's
 * `Retry-After`); other 4xx and redirects (never followed, so credentials never travel to
 * another host) will not. Credentials in the URL are sent as Basic authentication and never
 * appear in logs or messages.
 */
export async function sendJson(options: SendJsonOptions): Promise<JsonReply> {
  const { context } = options;
  const { url, authorization } = splitCredentials(options.url);
  const where = shownUrl(url, options.show ?? 'path');
  const shown = `${options.method} ${where}`;
  const headers = requestHeaders(options.headers, context, authorization);
  let response: Dispatcher.ResponseData;
  try {
    response = await request(url, {
      method: options.method,
      headers,
      body: options.body,
      signal: context.signal,
    });
  } catch (error) {
    if (context.signal.aborted) throw error;
    throw networkFailure(error, shown, options.secrets);
  }
  const { statusCode: status } = response;
  if (status >= 200 && status < 300) {
    const body = await readBounded(response, options.maxResponseBytes, shown);
    const contentType = headerOf(response.headers['content-type']);
    context.logger.info(
      { url: where, method: options.method, status, bytes: body.length },
      'endpoint answered',
    );
    return { status, body, contentType };
  }
  const excerpt = excerptOf(await readExcerpt(response), options.secrets);
  throw statusFailure(status, shown, excerpt, response.headers);
}

/** The URL as logs and messages may show it: never credentials or a query (which may carry tokens). */
function shownUrl(url: URL, show: 'origin' | 'path'): string {
  return show === 'origin' ? `${url.origin}/…` : redactUrl(`${url.origin}${url.pathname}`);
}

/** `https://user:token@host/hook` → the URL without userinfo, and the Basic credentials it carried. */
function splitCredentials(text: string): { url: URL; authorization?: string } {
  const url = new URL(text);
  if (url.username === '' && url.password === '') return { url };
  const user = decodeURIComponent(url.username);
  const password = decodeURIComponent(url.password);
  url.username = '';
  url.password = '';
  return { url, authorization: `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}` };
}

function requestHeaders(
  given: Record<string, string>,
  context: ActionContext,
  authorization: string | undefined,
): Record<string, string> {
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    accept: 'application/json',
    'user-agent': 'airlock',
    'x-airlock-delivery': deliveryId(context),
  };
  if (authorization !== undefined) headers.authorization = authorization;
  for (const [name, value] of Object.entries(given)) {
    const lower = name.toLowerCase();
    if (TRANSPORT_HEADERS.has(lower)) {
      throw invalidInput(`headers: ${name} is set by the HTTP client and cannot be given`, { header: name });
    }
    headers[lower] = value;
  }
  return headers;
}

/**
 * Identifies the step's call, the same on every attempt and on recovery, so that a receiver
 * can recognise a redelivery (the engine may run a step again after a crash).
 */
export function deliveryId(context: ActionContext): string {
  return [
    context.runId,
    context.stepId,
    ...(context.index === undefined ? [] : [String(context.index)]),
  ].join('/');
}

async function readBounded(response: Dispatcher.ResponseData, max: number, shown: string): Promise<Buffer> {
  if (max === 0) {
    await response.body.dump();
    return Buffer.alloc(0);
  }
  const declared = Number(headerOf(response.headers['content-length']) ?? Number.NaN);
  const chunks: Buffer[] = [];
  let size = Number.isFinite(declared) ? declared : 0;
  if (size <= max) {
    size = 0;
    for await (const chunk of response.body) {
      size += (chunk as Buffer).length;
      if (size > max) break;
      chunks.push(chunk as Buffer);
    }
  }
  if (size > max) {
    response.body.destroy();
    throw actionFailure(
      'ACTION_OUTPUT_TOO_LARGE',
      `${shown} answered with more than ${max} bytes, the limit`,
      {
        details: { limit: max },
      },
    );
  }
  return Buffer.concat(chunks);
}

/** Error bodies are quoted, not parsed: a few KiB say what went wrong. */
const ERROR_BODY_BYTES = 4096;

async function readExcerpt(response: Dispatcher.ResponseData): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of response.body) {
      chunks.push(chunk as Buffer);
      size += (chunk as Buffer).length;
      if (size >= ERROR_BODY_BYTES) break;
    }
  } catch {
    // The status says enough; a body cut short adds nothing.
  } finally {
    response.body.destroy();
  }
  return Buffer.concat(chunks).subarray(0, ERROR_BODY_BYTES);
}

function statusFailure(
  status: number,
  shown: string,
  excerpt: string,
  headers: Dispatcher.ResponseData['headers'],
): ActionFailure {
  const retryable = status === 408 || status === 429 || (status >= 500 && status !== 501 && status !== 505);
  const details: Record<string, unknown> = { status };
  const retryAfterMs = parseRetryAfter(headers['retry-after'], Date.now());
  if (retryable && retryAfterMs !== undefined) details.retryAfterMs = retryAfterMs;
  if (status >= 300 && status < 400) {
    const message = `${shown} answered ${status} (redirects are not followed; use the final URL)`;
    return actionFailure('ACTION_HTTP_STATUS', message, { details, retryable: false });
  }
  const said = excerpt === '' ? '' : `: ${excerpt}`;
  return actionFailure('ACTION_HTTP_STATUS', `${shown} answered ${status}${said}`, { details, retryable });
}

/** The registry client's retryable connection failures, and DNS failures (an endpoint being redeployed). */
const RETRYABLE_NETWORK_CODES = new Set([...REGISTRY_RETRYABLE_CODES, 'ENOTFOUND']);

/** Connection failures (refused, reset, DNS, time-outs) may pass on another attempt; TLS and protocol errors will not. */
function networkFailure(error: unknown, shown: string, secrets: readonly string[]): ActionFailure {
  const codes = errorCodes(error);
  const code = codes.find((c) => RETRYABLE_NETWORK_CODES.has(c)) ?? codes[0];
  const message = maskSecrets(error instanceof Error ? error.message : String(error), secrets);
  return actionFailure('ACTION_HTTP_UNREACHABLE', `${shown} failed: ${message}${code ? ` (${code})` : ''}`, {
    details: { cause: code ?? null },
    retryable: code !== undefined && RETRYABLE_NETWORK_CODES.has(code),
    cause: error,
  });
}

function headerOf(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
