import type { FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import { type ApiServerOptions, bootstrapAdminToken, createApiServer } from '../../../src/api/index.js';
import type { Role } from '../../../src/engine/service.js';
import { FakeEngine } from '../../../src/engine/testing/fake-engine.js';
import { type Metrics, createMetrics } from '../../../src/kernel/metrics.js';
import {
  type AirlockSchema,
  type Database,
  PostgresAuditLog,
  PostgresTokenStore,
  migrateToLatest,
  migrations,
  openDatabase,
} from '../../../src/store/index.js';
import { createTestDatabase, type TestDatabase } from '../../harness/index.js';

export interface ApiFixture {
  app: FastifyInstance;
  engine: FakeEngine;
  tokens: PostgresTokenStore;
  audit: PostgresAuditLog;
  metrics: Metrics;
  database: Database<AirlockSchema>;
  connectionString: string;
  /** A token secret per role (subjects `user:<role>`), and the bootstrap admin's. */
  secrets: Record<Role | 'bootstrap', string>;
  close(): Promise<void>;
}

/** An API server over the fake engine, with real token and audit stores on a fresh database. */
export async function startApiFixture(options: Partial<ApiServerOptions> = {}): Promise<ApiFixture> {
  const testDb: TestDatabase = await createTestDatabase();
  const database = openDatabase<AirlockSchema>({ connectionString: testDb.connectionString });
  await migrateToLatest(database.db as unknown as Kysely<unknown>, migrations);
  const tokens = new PostgresTokenStore(database.db);
  const audit = new PostgresAuditLog(database.db);
  const engine = new FakeEngine();
  const metrics = createMetrics({ processMetrics: false });
  const bootstrap = (await bootstrapAdminToken(tokens, { audit }))!;
  const secrets = { bootstrap } as Record<Role | 'bootstrap', string>;
  for (const role of ['viewer', 'operator', 'approver', 'admin'] as const) {
    const created = await tokens.create({ subject: `user:${role}`, roles: [role], createdBy: 'user:admin' });
    secrets[role] = created.token;
  }
  const app = createApiServer({ engine, tokens, audit, metrics, version: '9.9.9', ...options });
  await app.ready();
  return {
    app,
    engine,
    tokens,
    audit,
    metrics,
    database,
    connectionString: testDb.connectionString,
    secrets,
    close: async () => {
      await app.close();
      await database.close();
      await testDb.drop();
    },
  };
}

export const MIRROR_WORKFLOW = `apiVersion: airlock.dev/v1
kind: Workflow
name: mirror
description: Mirror a repository
on:
  manual: {}
  registry:
    push:
      repository: 'library/**'
inputs:
  repository:
    type: string
    default: docker.io/library/node
  count:
    type: number
steps:
  - id: tags
    uses: oci/list-tags@v1
    with:
      repository: '\${{ inputs.repository }}'
  - id: approve
    uses: approval@v1
  - id: copy
    uses: oci/copy@v1
`;

export function bearer(secret: string): { authorization: string } {
  return { authorization: `Bearer ${secret}` };
}
