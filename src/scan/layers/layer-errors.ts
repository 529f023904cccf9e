import { AppError } from '../../kernel/index.js';
import type { LayerLimits } from './limits.js';

/**
 * A limit reached while reading a layer. The reader turns it into a notice (the scan keeps
 * what it read); it only escapes as an error if a caller reads a layer by hand.
 */
export class LayerLimitError extends AppError {
  constructor(
    readonly limit: keyof LayerLimits,
    /** `image` limits stop the scan's remaining layers too. */
    readonly scope: 'layer' | 'image',
    message: string,
  ) {
    super('SCAN_LIMIT_EXCEEDED', message, { details: { limit, scope } });
  }
}

/** A layer's compressed stream or tar structure is corrupt. */
export class LayerFormatError extends AppError {
  constructor(message: string, cause?: unknown) {
    super('SCAN_LAYER_FORMAT_INVALID', message, cause === undefined ? {} : { cause });
  }
}

/**
 * The layer's blob could not be read from its store (network, digest mismatch, missing blob).
 * Keeps the store's code, so that a digest mismatch stays OCI_DIGEST_MISMATCH, and says which
 * layer it was.
 */
export class LayerReadError extends AppError {
  constructor(layer: number, digest: string, cause: unknown) {
    const inner = cause instanceof Error ? cause.message : String(cause);
    super(
      cause instanceof AppError ? cause.code : 'SCAN_LAYER_READ_FAILED',
      `layer ${layer} (${digest}): ${inner}`,
      {
        cause,
        details: { layer, digest, ...(cause instanceof AppError ? cause.details : {}) },
        ...(cause instanceof AppError ? { retryable: cause.retryable } : {}),
      },
    );
  }
}
