import type { ZodType } from 'zod';
import { ActionFailure } from '../../engine/actions/contract.js';
import { AppError, type ErrorCode, abortedError, isAbortError, specOf } from '../../kernel/index.js';

export interface ActionFailureOptions {
  details?: Record<string, unknown>;
  /** Overrides the catalog's default for this occurrence. */
  retryable?: boolean;
  cause?: unknown;
}

/**
 * An ActionFailure with a catalog code in `details.code` (so the engine, the API and the CLI
 * can render it like any other error) and the catalog's retryability unless told otherwise.
 */
export function actionFailure(
  code: ErrorCode,
  message: string,
  options: ActionFailureOptions = {},
): ActionFailure {
  return new ActionFailure(
    message,
    options.retryable ?? specOf(code).retryable,
    { code, ...options.details },
    options.cause === undefined ? undefined : { cause: options.cause },
  );
}

/** A permanent failure caused by what the workflow asked for (a bad field, an unreadable file, …). */
export function invalidInput(message: string, details: Record<string, unknown> = {}): ActionFailure {
  return actionFailure('ACTION_INPUT_INVALID', message, { details });
}

/**
 * What an action throws for an error: an ActionFailure that says whether trying again may
 * help. Cancellation is not a failure of the action: when the step's signal fired, the
 * kernel's abort error goes back to the engine with the engine's own reason (time-out or
 * cancelled run), so the engine decides.
 */
export function toActionFailure(error: unknown, signal?: AbortSignal): Error {
  if (signal?.aborted) return abortedError(signal);
  if (error instanceof ActionFailure) return error;
  if (error instanceof AppError) {
    return actionFailure(error.code, error.message, {
      details: error.details,
      retryable: error.retryable,
      cause: error,
    });
  }
  if (isAbortError(error)) return actionFailure('ABORTED', 'operation cancelled', { cause: error });
  const message = error instanceof Error ? error.message : String(error);
  return actionFailure('INTERNAL', message, { cause: error });
}

/** At most this many input problems are spelled out; the rest are counted. */
const MAX_LISTED_ISSUES = 5;

/**
 * Validates an action's input against its schema. The engine validates too; actions check
 * again because they may be called directly (tests, other runtimes), and the message names
 * every field that is wrong: `invalid input for oci/copy@v1: source: …; tags[1]: …`.
 */
export function parseActionInput<T>(schema: ZodType<T>, raw: unknown, action: string): T {
  const result = schema.safeParse(raw);
  if (result.success) return result.data;
  const issues = result.error.issues.map((issue) => ({
    path: formatPath(issue.path),
    message: issue.message,
  }));
  const listed = issues
    .slice(0, MAX_LISTED_ISSUES)
    .map((issue) => (issue.path === '' ? issue.message : `${issue.path}: ${issue.message}`));
  const more = issues.length > MAX_LISTED_ISSUES ? ` (and ${issues.length - MAX_LISTED_ISSUES} more)` : '';
  throw invalidInput(`invalid input for ${action}: ${listed.join('; ')}${more}`, { action, issues });
}

/** `tags[1]`, `headers.Authorization`: the path as a user would write it in `with:`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out === '' ? String(part) : `.${String(part)}`;
  }
  return out;
}
