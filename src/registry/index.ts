// Configuration.
export {
  RegistryConfig,
  RegistryAuthConfig,
  RegistryNamespace,
  RegistryLimits,
  RegistryUser,
  RegistryRobot,
  ACTIONS,
  defaultRegistryConfig,
  type Action,
  type RegistryConfigInput,
} from './config.js';
export { loadRegistryConfigFile, parseRegistryConfig, type LoadConfigOptions } from './config-file.js';
export { parseDuration, formatDuration } from './duration.js';
export { isValidRepositoryName, isValidTag, MAX_NAME_LENGTH } from './names.js';
// Events.
export { registryNotification, type RegistryEventSink, type RegistryNotification } from './events.js';
export { httpNotifier, type HttpNotifier, type NotificationEndpoint } from './notifications.js';
// Gate.
export { allowAllGate, type PullGate, type PullRequestInfo, type GateDecision } from './gate.js';
// Storage.
export { StoragePaths } from './storage/paths.js';
export { BlobStore } from './storage/blob-store.js';
export { MetadataStore } from './storage/metadata-store.js';
export { ReferrerStore } from './storage/referrer-store.js';
export { UploadStore, type UploadSession } from './storage/upload-store.js';
export { ContentCache } from './storage/content-cache.js';
export { collectGarbage, type GcOptions, type GcReport, type GcItem } from './storage/gc.js';
// Services and HTTP.
export { ManifestService, type StoredManifest, type PutManifestResult } from './service/manifest-service.js';
export { BlobService } from './service/blob-service.js';
export { createRequestListener } from './http/request-listener.js';
export type { RegistryServices } from './http/context.js';
// Auth.
export { AccessPolicy, ANONYMOUS, type Identity } from './auth/access-policy.js';
export { Authenticator } from './auth/authenticator.js';
export { TokenService, type TokenRequest, type TokenResponse } from './auth/token-service.js';
export { RequestAuthorizer } from './auth/request-authorizer.js';
export { loadOrCreateSigningKey, type SigningKey } from './auth/signing-key.js';
export { hashPassword, hashRobotToken, generateRobotToken, verifySecret } from './auth/secrets.js';
