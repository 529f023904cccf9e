import { type ErrorCode, specOf } from './error-catalog.js';
import { redactText } from './redact.js';

/** A JSON-safe value, for error details that travel through logs, the API and the database. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

export interface AppErrorOptions {
  cause?: unknown;
  details?: JsonObject;
  /** Overrides the catalog's default for this occurrence (e.g. a 503 that says "do not retry"). */
  retryable?: boolean;
}

/**
 * The one base class for every error Airlock raises on purpose. `code` is stable and
 * machine-readable; `message` says what went wrong and what to do about it, and never
 * contains a credential (it is redacted on construction as a last line of defence).
 */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly details: JsonObject;
  readonly retryable: boolean;

  constructor(code: ErrorCode, message: string, options: AppErrorOptions = {}) {
    super(redactText(message), options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.details = options.details ?? {};
    this.retryable = options.retryable ?? specOf(code).retryable;
  }

  get status(): number {
    return specOf(this.code).status;
  }

  toJSON(): JsonObject {
    return { code: this.code, message: this.message, details: this.details, retryable: this.retryable };
  }
}

/** Context of a failed registry interaction. */
export interface OciErrorContext {
  registry?: string;
  repository?: string;
  reference?: string;
  digest?: string;
  /** HTTP status the registry answered with, when there was an answer. */
  httpStatus?: number;
  /** How long the registry asked us to wait (from `Retry-After`), in milliseconds. */
  retryAfterMs?: number;
}

export class OciError extends AppError {
  readonly context: OciErrorContext;

  constructor(
    code: ErrorCode,
    message: string,
    context: OciErrorContext = {},
    options: AppErrorOptions = {},
  ) {
    super(code, message, { ...options, details: { ...compact(context), ...options.details } });
    this.context = context;
  }
}

export type CopyOp =
  | 'resolve'
  | 'fetch-manifest'
  | 'fetch-blob'
  | 'push-blob'
  | 'mount-blob'
  | 'push-manifest'
  | 'tag'
  | 'referrers';

/** A failure of one operation of a copy, saying which side (source or destination) failed. */
export class CopyError extends AppError {
  readonly op: CopyOp;
  readonly side: 'source' | 'destination';

  constructor(op: CopyOp, side: 'source' | 'destination', cause: unknown, message?: string) {
    const inner = cause instanceof Error ? cause.message : String(cause);
    super(
      cause instanceof AppError ? cause.code : 'COPY_FAILED',
      message ?? `${op} failed on the ${side}: ${inner}`,
      {
        cause,
        details: { op, side, ...(cause instanceof AppError ? cause.details : {}) },
        retryable: cause instanceof AppError ? cause.retryable : false,
      },
    );
    this.op = op;
    this.side = side;
  }
}

export function isAppError(error: unknown): error is AppError {
  return error instanceof AppError;
}

export function isRetryable(error: unknown): boolean {
  return error instanceof AppError && error.retryable;
}

/** Wraps anything thrown into an AppError, keeping AppErrors as they are. */
export function toAppError(error: unknown): AppError {
  if (error instanceof AppError) return error;
  if (isAbortError(error)) return new AppError('ABORTED', 'operation cancelled', { cause: error });
  const message = error instanceof Error ? error.message : String(error);
  return new AppError('INTERNAL', message, { cause: error });
}

export function isAbortError(error: unknown): boolean {
  return (
    error instanceof Error &&
    (error.name === 'AbortError' || (error instanceof AppError && error.code === 'ABORTED'))
  );
}

function compact(context: OciErrorContext): JsonObject {
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(context)) if (value !== undefined) out[key] = value as JsonValue;
  return out;
}
