import { AppError, isAbortError } from '../../kernel/index.js';
import { ActionFailure } from '../actions/contract.js';
import type { FailureInfo } from './durable.js';

/** Any error as a plain, recordable failure. */
export function toFailure(error: unknown, step?: string): FailureInfo {
  if (error instanceof ActionFailure)
    return {
      code: 'ENGINE_ACTION_FAILED',
      message: error.message,
      retryable: error.retryable,
      ...(step ? { step } : {}),
    };
  if (error instanceof AppError)
    return {
      code: error.code,
      message: error.message,
      retryable: error.retryable,
      ...(step ? { step } : {}),
    };
  if (isAbortError(error))
    return { code: 'ABORTED', message: 'cancelled', retryable: false, ...(step ? { step } : {}) };
  const message = error instanceof Error ? error.message : String(error);
  return { code: 'INTERNAL', message, retryable: false, ...(step ? { step } : {}) };
}
