import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { startEmbeddedPostgres } from '../../src/store/index.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Connection string of the run's embedded Postgres (admin database `airlock`). */
    postgresUrl: string;
  }
}

/**
 * vitest global setup: one embedded Postgres for the whole run (about two seconds), in a
 * temporary data directory; test files get databases of their own from it
 * (`createTestDatabase`).
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const dataDir = await mkdtemp(join(tmpdir(), 'airlock-test-pg-'));
  const server = await startEmbeddedPostgres({ dataDir });
  project.provide('postgresUrl', server.connectionString);
  return async () => {
    await server.stop();
    await rm(dataDir, { recursive: true, force: true });
  };
}
