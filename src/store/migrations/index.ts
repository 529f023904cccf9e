import type { Migration } from 'kysely';
import { vulnerabilityDb } from './0001-vulnerability-db.js';
import { scanResults } from './0002-scan-results.js';
import { apiTokens } from './0100-api-tokens.js';
import { auditLog } from './0101-audit-log.js';
import { engineTables } from './0200-engine.js';
import { workflowRollback } from './0201-workflow-rollback.js';

/**
 * Every migration, by name; names sort in the order they apply. A migration is never
 * edited once released: a change is a new migration.
 */
export const migrations: Record<string, Migration> = {
  '0001_vulnerability_db': vulnerabilityDb,
  '0002_scan_results': scanResults,
  '0100_api_tokens': apiTokens,
  '0101_audit_log': auditLog,
  '0200_engine': engineTables,
  '0201_workflow_rollback': workflowRollback,
};
