import { AppError, isAbortError } from '../../kernel/index.js';
import { ActionFailure } from '../actions/contract.js';
import type { FailureInfo } from './durable.js';

/** Any error as a plain, recordable failure. */
export function toFailure(error: unknown, step?: string): FailureInfo {
  if (error instanceof ActionFailure) {
    // The action's own code (e.g. OCI_RATE_LIMITED) says more than "the action failed".
    const code = typeof error.details.code === 'string' ? error.details.code : 'ENGINE_ACTION_FAILED';
    const retryAfterMs = error.details.retryAfterMs;
    return {
      code,
      message: error.message,
      retryable: error.retryable,
      ...(step ? { step } : {}),
      ...(typeof retryAfterMs === 'number' && retryAfterMs > 0 ? { retryAfterMs } : {}),
    };
  }
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
