import type { Migration } from 'kysely';
import { vulnerabilityDb } from './0001-vulnerability-db.js';

/**
 * Every migration, by name; names sort in the order they apply. A migration is never
 * edited once released: a change is a new migration.
 */
export const migrations: Record<string, Migration> = {
  '0001_vulnerability_db': vulnerabilityDb,
};
