import type { Migration } from 'kysely';

/**
 * Every migration, by name; names sort in the order they apply. A migration is never
 * edited once released: a change is a new migration.
 */
export const migrations: Record<string, Migration> = {};
