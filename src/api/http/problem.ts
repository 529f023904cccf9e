import { type AppError, type ErrorCode, specOf } from '../../kernel/index.js';

/** Base of every problem `type`: one stable URI per error code. */
export const PROBLEM_TYPE_BASE = 'https://airlock.dev/problems/';
export const PROBLEM_MEDIA_TYPE = 'application/problem+json';

export interface FieldError {
  /** The submitted file the position is in (workflow definitions). */
  file?: string;
  path: string;
  message: string;
  line?: number;
  column?: number;
}

/** RFC 9457 problem details, with Airlock's error code and field errors as extensions. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance: string;
  code: ErrorCode;
  errors?: FieldError[];
}

/** `ENGINE_DEFINITION_INVALID` → `https://airlock.dev/problems/engine-definition-invalid`. */
export function problemType(code: ErrorCode): string {
  return `${PROBLEM_TYPE_BASE}${code.toLowerCase().replaceAll('_', '-')}`;
}

/**
 * The problem for an error. Messages of AppErrors are written for users (and redacted on
 * construction); an internal error's message is not, so its detail only points at the log.
 */
export function toProblem(error: AppError, requestId: string): Problem {
  const spec = specOf(error.code);
  const detail =
    error.code === 'INTERNAL'
      ? `the server failed to handle the request; its log has the cause under request id ${requestId}`
      : error.message;
  const problem: Problem = {
    type: problemType(error.code),
    title: spec.title,
    status: spec.status,
    detail,
    instance: requestId,
    code: error.code,
  };
  const file = typeof error.details.file === 'string' ? error.details.file : undefined;
  const errors = fieldErrors(error.details.problems, file);
  if (errors.length > 0) problem.errors = errors;
  return problem;
}

/**
 * Field errors from `details.problems`: the engine's definition problems (`{path, message,
 * position: {line, column}}`) and the API's own validation problems (`{path, message}`).
 */
function fieldErrors(problems: unknown, file: string | undefined): FieldError[] {
  if (!Array.isArray(problems)) return [];
  const out: FieldError[] = [];
  for (const item of problems as unknown[]) {
    if (typeof item !== 'object' || item === null) continue;
    const { path, message, position } = item as { path?: unknown; message?: unknown; position?: unknown };
    if (typeof message !== 'string') continue;
    const error: FieldError = { path: typeof path === 'string' ? path : '', message };
    const where = (position ?? item) as { line?: unknown; column?: unknown };
    if (file !== undefined && typeof where.line === 'number') error.file = file;
    if (typeof where.line === 'number') error.line = where.line;
    if (typeof where.column === 'number') error.column = where.column;
    out.push(error);
  }
  return out;
}
