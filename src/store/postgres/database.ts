import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { type Logger, redactUrl, silentLogger } from '../../kernel/index.js';

export interface OpenDatabaseOptions {
  /** `postgres://…`; contains a password: it is never logged as is. */
  connectionString: string;
  /** Pool size. Default 10. */
  maxConnections?: number;
  logger?: Logger;
}

export interface Database<Schema> {
  db: Kysely<Schema>;
  pool: pg.Pool;
  close(): Promise<void>;
}

/** Ten connections: enough for a worker's steps and the API, polite to managed Postgres plans. */
const DEFAULT_MAX_CONNECTIONS = 10;

/** A typed query layer (kysely) over a `pg` pool. */
export function openDatabase<Schema>(options: OpenDatabaseOptions): Database<Schema> {
  const logger = options.logger ?? silentLogger;
  const pool = new pg.Pool({
    connectionString: options.connectionString,
    max: options.maxConnections ?? DEFAULT_MAX_CONNECTIONS,
  });
  pool.on('error', (error) =>
    logger.warn(
      { err: error.message, database: redactUrl(options.connectionString) },
      'idle database connection failed',
    ),
  );
  const db = new Kysely<Schema>({ dialect: new PostgresDialect({ pool }) });
  return {
    db,
    pool,
    close: () => db.destroy(),
  };
}
