import { createWriteStream } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { type Dispatcher, EnvHttpProxyAgent, request } from 'undici';
import { AppError, isAbortError } from '../kernel/index.js';

export interface DownloadOptions {
  /** Validators of the copy already imported: an unchanged archive is answered 304 and not downloaded. */
  etag?: string;
  lastModified?: string;
  signal?: AbortSignal;
  /** Larger archives are refused. Default {@link DEFAULT_MAX_ARCHIVE_BYTES}. */
  maxBytes?: number;
  dispatcher?: Dispatcher;
}

export type DownloadResult =
  { status: 'downloaded'; bytes: number; etag?: string; lastModified?: string } | { status: 'not-modified' };

/** OSV's largest per-ecosystem archives are a few hundred MiB; 4 GiB means something is wrong. */
export const DEFAULT_MAX_ARCHIVE_BYTES = 4 * 1024 ** 3;
/** A server that sends no response headers within this long is not going to. */
const HEADERS_TIMEOUT_MS = 60_000;
/** A download that stalls (no bytes) this long is abandoned. */
const BODY_TIMEOUT_MS = 120_000;

/** Connection failures that mean "no route to the internet" rather than "the server said no". */
const OFFLINE_CODES = new Set([
  'ENOTFOUND',
  'EAI_AGAIN',
  'ECONNREFUSED',
  'ENETUNREACH',
  'EHOSTUNREACH',
  'ETIMEDOUT',
  'UND_ERR_CONNECT_TIMEOUT',
]);

let sharedDispatcher: Dispatcher | undefined;

/** Honours HTTPS_PROXY / HTTP_PROXY / NO_PROXY, as downloads through a corporate proxy need. */
function defaultDispatcher(): Dispatcher {
  sharedDispatcher ??= new EnvHttpProxyAgent({
    headersTimeout: HEADERS_TIMEOUT_MS,
    bodyTimeout: BODY_TIMEOUT_MS,
  });
  return sharedDispatcher;
}

/**
 * Downloads a file to `destination` (through a `.partial` file renamed on completion), with a
 * conditional request when validators are known. Errors say whether the network is missing
 * or the server refused.
 */
export async function downloadFile(
  url: string,
  destination: string,
  options: DownloadOptions = {},
): Promise<DownloadResult> {
  const response = await sendRequest(url, options);
  if (response.statusCode === 304) {
    await response.body.dump();
    return { status: 'not-modified' };
  }
  const max = options.maxBytes ?? DEFAULT_MAX_ARCHIVE_BYTES;
  const declared = Number(response.headers['content-length'] ?? Number.NaN);
  if (declared > max) {
    // Closing the connection rather than reading the body; the abort it causes is expected.
    response.body.on('error', () => {});
    response.body.destroy();
    throw new AppError(
      'SCAN_VULNDB_DOWNLOAD_FAILED',
      `${url} is ${declared} bytes, over the ${max}-byte limit`,
      { retryable: false },
    );
  }
  const bytes = await saveBody(response.body, url, destination, max, options.signal);
  return {
    status: 'downloaded',
    bytes,
    etag: header(response.headers.etag),
    lastModified: header(response.headers['last-modified']),
  };
}

type Response = Awaited<ReturnType<typeof request>>;

/** A conditional GET; a status other than 200 or 304 is an error that says what the server answered. */
async function sendRequest(url: string, options: DownloadOptions): Promise<Response> {
  const headers: Record<string, string> = { accept: 'application/zip, */*' };
  if (options.etag) headers['if-none-match'] = options.etag;
  else if (options.lastModified) headers['if-modified-since'] = options.lastModified;
  let response: Response;
  try {
    response = await request(url, {
      method: 'GET',
      headers,
      signal: options.signal,
      dispatcher: options.dispatcher ?? defaultDispatcher(),
    });
  } catch (error) {
    throw downloadError(url, error);
  }
  if (response.statusCode === 200 || response.statusCode === 304) return response;
  const detail = (await response.body.text().catch(() => '')).slice(0, 200).trim();
  const hint = response.statusCode === 404 ? ' (no such archive: check the ecosystem name)' : '';
  throw new AppError(
    'SCAN_VULNDB_DOWNLOAD_FAILED',
    `GET ${url} answered ${response.statusCode}${hint}${detail ? `: ${detail}` : ''}`,
    {
      retryable: response.statusCode >= 500 || response.statusCode === 429,
      details: { url, httpStatus: response.statusCode },
    },
  );
}

/** Streams the body to `<destination>.partial`, counting bytes against the limit, then renames it into place. */
async function saveBody(
  body: Response['body'],
  url: string,
  destination: string,
  max: number,
  signal?: AbortSignal,
): Promise<number> {
  const partial = `${destination}.partial`;
  await mkdir(dirname(destination), { recursive: true });
  let bytes = 0;
  const counter = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      bytes += chunk.length;
      const over =
        bytes > max
          ? new AppError('SCAN_VULNDB_DOWNLOAD_FAILED', `${url} exceeds the ${max}-byte limit`, {
              retryable: false,
            })
          : null;
      callback(over, chunk);
    },
  });
  try {
    await pipeline(body, counter, createWriteStream(partial), signal ? { signal } : {});
    await rename(partial, destination);
  } catch (error) {
    await rm(partial, { force: true });
    if (error instanceof AppError) throw error;
    throw downloadError(url, error);
  }
  return bytes;
}

function header(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

function downloadError(url: string, error: unknown): AppError {
  if (isAbortError(error)) return new AppError('ABORTED', `download of ${url} cancelled`, { cause: error });
  const code =
    (error as { code?: string; cause?: { code?: string } }).code ??
    (error as { cause?: { code?: string } }).cause?.code;
  const host = safeHost(url);
  if (code && OFFLINE_CODES.has(code)) {
    return new AppError(
      'SCAN_VULNDB_DOWNLOAD_FAILED',
      `cannot reach ${host} (${code}): this machine seems to have no network access to it. Download the archives where there is ` +
        `(${url}) and load them with "airlock db import PATH", or set HTTPS_PROXY`,
      { cause: error, details: { url, code, offline: true } },
    );
  }
  return new AppError(
    'SCAN_VULNDB_DOWNLOAD_FAILED',
    `download of ${url} failed: ${(error as Error)?.message ?? String(error)}`,
    { cause: error, details: { url } },
  );
}

function safeHost(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}
