export {
  RegistrySession,
  DEFAULT_MAX_MANIFEST_BYTES,
  DEFAULT_CONNECTIONS,
  type RegistrySessionOptions,
  type ReferrersMode,
} from './session.js';
export { RemoteRepository } from './repository.js';
export {
  DEFAULT_RETRY_POLICY,
  RETRYABLE_NETWORK_CODES,
  backoffDelay,
  errorCodes,
  parseRetryAfter,
  type RetryPolicy,
} from './retry.js';
export { type RateLimitInfo, parseRateLimit } from './rate-limit.js';
export { type TransportTimeouts, DEFAULT_TIMEOUTS } from './transport.js';
export { parseWwwAuthenticate, type AuthChallenge } from './challenge.js';
export { nextLink } from './link.js';
export { type Scope, formatScope, parseScope, repositoryScope } from './scope.js';
