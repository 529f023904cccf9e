import type { Kysely } from 'kysely';
import { type Logger, redactUrl, silentLogger } from '../kernel/index.js';
import {
  type AirlockSchema,
  migrateToLatest,
  migrations,
  openDatabase,
  startEmbeddedPostgres,
} from '../store/index.js';

export interface OpenAirlockDatabaseOptions {
  /** Airlock's data directory: the embedded Postgres lives in `<dataDir>/postgres`. */
  dataDir: string;
  /** `DATABASE_URL` selects an external Postgres instead of the embedded one. */
  env?: NodeJS.ProcessEnv;
  logger?: Logger;
  /** Connections in the pool (default 10). */
  maxConnections?: number;
}

export interface AirlockDatabase {
  db: Kysely<AirlockSchema>;
  /** Contains the password: pass it to clients, never log it (use `location`). */
  connectionString: string;
  /** Where it lives, password redacted, for messages. */
  location: string;
  close(): Promise<void>;
}

/**
 * Airlock's database, migrated to the latest schema: the Postgres `DATABASE_URL` names, or the
 * embedded one in the data directory (started for the duration and stopped by `close`).
 */
export async function openAirlockDatabase(options: OpenAirlockDatabaseOptions): Promise<AirlockDatabase> {
  const logger = options.logger ?? silentLogger;
  const url = options.env?.DATABASE_URL;
  const server = url ? undefined : await startEmbeddedPostgres({ dataDir: options.dataDir, logger });
  const connectionString = url ?? server!.connectionString;
  const database = openDatabase<AirlockSchema>({
    connectionString,
    logger,
    ...(options.maxConnections ? { maxConnections: options.maxConnections } : {}),
  });
  const close = async () => {
    await database.close();
    if (server?.owned) await server.stop();
  };
  try {
    await migrateToLatest(database.db as unknown as Kysely<unknown>, migrations);
  } catch (error) {
    await close();
    throw error;
  }
  return {
    db: database.db,
    connectionString,
    location: url ? redactUrl(url) : `embedded Postgres in ${options.dataDir}`,
    close,
  };
}
