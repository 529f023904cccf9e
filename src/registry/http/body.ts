import type { IncomingMessage } from 'node:http';
import { type ErrorCode, OciError } from '../../kernel/index.js';

export interface ReadBodyOptions {
  /** Most bytes accepted. */
  limit: number;
  /** Error raised past the limit (e.g. OCI_MANIFEST_TOO_LARGE for manifests). */
  code: ErrorCode;
  what: string;
  signal?: AbortSignal;
}

/**
 * Reads a small request body whole, refusing it before reading when `Content-Length`
 * announces too much and while reading when a chunked body grows past the limit.
 */
export async function readBody(req: IncomingMessage, options: ReadBodyOptions): Promise<Buffer> {
  const declared = contentLength(req);
  if (declared !== undefined && declared > options.limit) throw tooLarge(options, declared);
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of req.iterator({ destroyOnReturn: false }) as AsyncIterable<Buffer>) {
    total += chunk.length;
    if (total > options.limit) throw tooLarge(options, total);
    chunks.push(chunk);
  }
  if (declared !== undefined && total !== declared) {
    throw new OciError(
      'OCI_SIZE_INVALID',
      `${options.what} has ${total} bytes, but Content-Length said ${declared}`,
    );
  }
  return chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, total);
}

/** The `Content-Length` of a request, or undefined when absent (chunked) or malformed. */
export function contentLength(req: IncomingMessage): number | undefined {
  const value = req.headers['content-length'];
  if (value === undefined || !/^\d+$/.test(value)) return undefined;
  return Number(value);
}

/** Whether the request carries a body at all (a length above zero, or chunked framing). */
export function hasBody(req: IncomingMessage): boolean {
  const length = contentLength(req);
  return length !== undefined ? length > 0 : req.headers['transfer-encoding'] !== undefined;
}

function tooLarge(options: ReadBodyOptions, size: number): OciError {
  return new OciError(
    options.code,
    `${options.what} is ${size} bytes or more, over the limit of ${options.limit} bytes`,
  );
}
