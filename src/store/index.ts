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
