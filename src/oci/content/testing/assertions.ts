import { expect } from 'vitest';
import { AppError, isAbortError, type ErrorCode } from '../../../kernel/index.js';

/** The error an operation failed with; fails the test when it succeeded. */
export async function rejectionOf(operation: Promise<unknown> | (() => Promise<unknown>)): Promise<unknown> {
  try {
    await (typeof operation === 'function' ? operation() : operation);
  } catch (error) {
    return error;
  }
  throw new Error('expected the operation to fail, but it succeeded');
}

/** Asserts that an operation fails with an AppError of `code` whose message names `mentions`. */
export async function expectAppError(
  operation: Promise<unknown> | (() => Promise<unknown>),
  code: ErrorCode,
  mentions?: string,
): Promise<AppError> {
  const error = await rejectionOf(operation);
  expect(error, String(error)).toBeInstanceOf(AppError);
  const appError = error as AppError;
  expect(appError.code, appError.message).toBe(code);
  if (mentions !== undefined) expect(appError.message).toContain(mentions);
  return appError;
}

/** Asserts that an operation fails because it was cancelled. */
export async function expectAborted(operation: Promise<unknown> | (() => Promise<unknown>)): Promise<void> {
  const error = await rejectionOf(operation);
  expect(isAbortError(error), `expected a cancellation, got ${String(error)}`).toBe(true);
}
