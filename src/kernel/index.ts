export { errorCatalog, specOf, isErrorCode, type ErrorCode, type ErrorSpec } from './error-catalog.js';
export {
  AppError,
  OciError,
  CopyError,
  isAppError,
  isRetryable,
  isAbortError,
  toAppError,
  type AppErrorOptions,
  type OciErrorContext,
  type CopyOp,
  type JsonObject,
  type JsonValue,
} from './errors.js';
export {
  type Digest,
  type ParsedDigest,
  type VerifyExpectation,
  isDigest,
  parseDigest,
  digestOf,
  createDigester,
  verifyBytes,
  DigestVerifier,
  vouchFor,
  isVerifiedFor,
  SUPPORTED_ALGORITHMS,
} from './digest.js';
export { sleep, throwIfAborted, abortedError, anySignal } from './abort.js';
export { type Clock, systemClock } from './clock.js';
export { Limiter, KeyedMutex } from './limiter.js';
export { createLogger, silentLogger, type Logger, type CreateLoggerOptions } from './log.js';
export { redactText, redactUrl, redactHeaders, REDACTED } from './redact.js';
export { MASK, secretMasker, maskSecrets as maskSecretsWith } from './secret-mask.js';
export { DAY_MS, DURATION_PATTERN, formatDuration, parseDuration } from './duration.js';
export { formatBytes } from './bytes.js';
