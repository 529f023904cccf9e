import { AppError, isAbortError } from '../../kernel/index.js';

/** Fastify's own request errors (body parsing, limits), by their `code`, as catalog errors. */
const FASTIFY_ERRORS: Record<string, (error: Error, context: ErrorContext) => AppError> = {
  FST_ERR_CTP_BODY_TOO_LARGE: (_error, context) =>
    new AppError(
      'API_PAYLOAD_TOO_LARGE',
      `the request body is larger than the server accepts (${context.bodyLimit} bytes)`,
    ),
  FST_ERR_CTP_INVALID_MEDIA_TYPE: (error) =>
    new AppError(
      'API_MEDIA_TYPE_UNSUPPORTED',
      `${error.message}: send application/json (or application/yaml where a workflow is expected)`,
    ),
  FST_ERR_CTP_EMPTY_JSON_BODY: () =>
    new AppError(
      'API_REQUEST_INVALID',
      'the body is empty but Content-Type says application/json: send a JSON body, or no Content-Type',
    ),
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: () =>
    new AppError('API_REQUEST_INVALID', 'Content-Length does not match the body that was sent'),
};

export interface ErrorContext {
  bodyLimit: number;
}

/** Whatever a handler or fastify threw, as an AppError with a catalog code. */
export function toApiError(error: unknown, context: ErrorContext): AppError {
  if (error instanceof AppError) return error;
  if (isAbortError(error)) return new AppError('ABORTED', 'the request was cancelled', { cause: error });
  const { code, statusCode } = error as { code?: string; statusCode?: number };
  const known = code === undefined ? undefined : FASTIFY_ERRORS[code];
  if (known) return known(error as Error, context);
  if (error instanceof SyntaxError || (statusCode !== undefined && statusCode >= 400 && statusCode < 500)) {
    // JSON parse errors and other client mistakes fastify detects; their messages describe the input.
    return new AppError('API_REQUEST_INVALID', `the request could not be read: ${(error as Error).message}`, {
      cause: error,
    });
  }
  return new AppError('INTERNAL', error instanceof Error ? error.message : String(error), { cause: error });
}
