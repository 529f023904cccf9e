import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import pg from 'pg';
import { inject } from 'vitest';
import {
  type AirlockSchema,
  type Database,
  migrateToLatest,
  migrations,
  openDatabase,
} from '../../src/store/index.js';

export interface TestDatabase {
  connectionString: string;
  drop(): Promise<void>;
}

/** A fresh, empty database on the run's embedded Postgres, for one test file or test. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const admin = inject('postgresUrl');
  const name = `test_${randomUUID().replaceAll('-', '').slice(0, 16)}`;
  await withClient(admin, (client) => client.query(`CREATE DATABASE ${name}`));
  const url = new URL(admin);
  url.pathname = `/${name}`;
  return {
    connectionString: url.toString(),
    drop: () =>
      withClient(admin, (client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)).then(
        () => undefined,
      ),
  };
}

export interface MigratedTestDatabase {
  connectionString: string;
  /** A pool on the database, migrated to Airlock's latest schema. */
  database: Database<AirlockSchema>;
  /** Closes the pool and drops the database. */
  remove(): Promise<void>;
}

/** {@link createTestDatabase} with Airlock's schema in it and a pool open on it. */
export async function createMigratedTestDatabase(): Promise<MigratedTestDatabase> {
  const test = await createTestDatabase();
  const database = openDatabase<AirlockSchema>({ connectionString: test.connectionString });
  await migrateToLatest(database.db as unknown as Kysely<unknown>, migrations);
  return {
    connectionString: test.connectionString,
    database,
    remove: async () => {
      await database.close();
      await test.drop();
    },
  };
}

async function withClient<T>(connectionString: string, run: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString });
  await client.connect();
  try {
    return await run(client);
  } finally {
    await client.end();
  }
}
