export {
  startEmbeddedPostgres,
  type EmbeddedPostgresOptions,
  type RunningPostgres,
} from './postgres/embedded.js';
export { openDatabase, type OpenDatabaseOptions, type Database } from './postgres/database.js';
export { migrateToLatest } from './migrations/runner.js';
export { migrations } from './migrations/index.js';
export type { AirlockSchema } from './schema.js';
export { PostgresAdvisoryStore } from './vulndb/advisory-store.js';
export type {
  AdvisoryInput,
  AffectedInput,
  AffectedRow,
  AdvisoryRow,
  ImportCountsInput,
  ImportResultInput,
  PackageKeyInput,
  VulnDbStatus,
  VulnSourceStatus,
} from './vulndb/types.js';
export {
  PostgresScanResultStore,
  type ListScanResultsOptions,
  type ScanResultHeader,
  type ScanResultInput,
  type ScanResultOrigin,
  type ScanResultPlatformInput,
  type StoredScanResult,
} from './scan/index.js';
export {
  PostgresWorkflowStore,
  PostgresRunStore,
  PostgresLogStore,
  PostgresApprovalStore,
  PostgresWorkerStore,
  PostgresEventStore,
  type StoredWorkflowVersion,
  type StoredRun,
  type StoredStep,
  type NewRun,
  type RunQuery,
  type StoredLogLine,
  type NewLogLine,
  type StoredApproval,
} from './engine/index.js';
export { PostgresTokenStore, type PostgresTokenStoreOptions } from './auth/postgres-token-store.js';
export { API_TOKEN_PREFIX, generateApiToken, hashApiToken, isApiTokenFormat } from './auth/token-secret.js';
export {
  API_ROLES,
  LAST_USED_RESOLUTION_MS,
  type ApiRole,
  type ApiTokenRecord,
  type CreatedApiToken,
  type NewApiToken,
  type TokenAuthentication,
  type TokenStore,
} from './auth/types.js';
export { PostgresAuditLog } from './audit/postgres-audit-log.js';
export { GENESIS_HASH, canonicalJson, hashAuditEntry } from './audit/chain.js';
export type {
  AuditBreak,
  AuditEntry,
  AuditFilter,
  AuditLog,
  AuditVerification,
  NewAuditEntry,
  VerifyAuditOptions,
} from './audit/types.js';
