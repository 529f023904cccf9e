import { type Kysely, type Migration, Migrator } from 'kysely';
import { AppError } from '../../kernel/index.js';

/**
 * Applies versioned migrations in name order, once, under kysely's migration lock (so
 * that several Airlock processes starting together against one database are safe).
 */
export async function migrateToLatest(
  db: Kysely<unknown>,
  migrations: Record<string, Migration>,
): Promise<string[]> {
  const migrator = new Migrator({
    db,
    provider: { getMigrations: async () => migrations },
    migrationTableName: 'airlock_migration',
    migrationLockTableName: 'airlock_migration_lock',
  });
  const { error, results } = await migrator.migrateToLatest();
  const failed = results?.find((r) => r.status === 'Error');
  if (error || failed) {
    throw new AppError(
      'CONFIG_INVALID',
      `database migration ${failed?.migrationName ?? ''} failed: ${(error as Error | undefined)?.message ?? 'unknown error'}`,
      {
        cause: error,
      },
    );
  }
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
