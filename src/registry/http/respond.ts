import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import { type AppError, specOf } from '../../kernel/index.js';
import { contentLength } from './body.js';

export const API_VERSION_HEADER = 'Docker-Distribution-API-Version';
export const API_VERSION = 'registry/2.0';

/** Largest error message sent to a client; messages quote client input, so they are bounded. */
const MAX_MESSAGE_CHARS = 2_048;

/**
 * Sends a JSON body. `Content-Length` is always set so that keep-alive connections are
 * reused without chunked framing.
 */
export function sendJson(
  req: IncomingMessage,
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: OutgoingHttpHeaders = {},
): void {
  const bytes = Buffer.from(JSON.stringify(body));
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': bytes.length, ...headers });
  res.end(req.method === 'HEAD' ? undefined : bytes);
}

export function sendEmpty(res: ServerResponse, status: number, headers: OutgoingHttpHeaders = {}): void {
  res.writeHead(status, { 'Content-Length': 0, ...headers });
  res.end();
}

/**
 * An error as the distribution-spec v1.1 "Error Codes" body: `{"errors":[{code,message,detail}]}`,
 * with the status and OCI code from the error catalog. Server-side failures are not
 * described to the client beyond a reference to the log entry.
 */
export function sendError(
  req: IncomingMessage,
  res: ServerResponse,
  error: AppError,
  requestId: string,
  headers: OutgoingHttpHeaders = {},
): void {
  if (res.headersSent) {
    res.destroy(error);
    return;
  }
  const spec = specOf(error.code);
  const internal = spec.status >= 500;
  const message = internal
    ? `${spec.title}; see the registry log for request ${requestId}`
    : truncate(error.message);
  const entry: Record<string, unknown> = { code: spec.oci ?? 'UNKNOWN', message };
  if (!internal && Object.keys(error.details).length > 0) entry.detail = error.details;
  // A large body we did not read must not be read just to be discarded: close the connection.
  if (!req.complete && hasLargeBody(req)) res.setHeader('Connection', 'close');
  sendJson(req, res, spec.status, { errors: [entry] }, headers);
}

/** Bodies up to this size are drained to keep the connection; larger ones close it. */
const DRAIN_LIMIT_BYTES = 64 * 1024;

function hasLargeBody(req: IncomingMessage): boolean {
  const length = contentLength(req);
  return length !== undefined ? length > DRAIN_LIMIT_BYTES : req.headers['transfer-encoding'] !== undefined;
}

function truncate(message: string): string {
  return message.length > MAX_MESSAGE_CHARS ? `${message.slice(0, MAX_MESSAGE_CHARS - 3)}...` : message;
}
