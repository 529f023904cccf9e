import type { Kysely } from 'kysely';
import type { AirlockSchema } from '../schema.js';
import './schema.js';

export interface StoredWorkflowVersion {
  name: string;
  version: number;
  digest: string;
  source: string;
  definition: Record<string, unknown>;
  createdAt: Date;
  createdBy: string;
}

/**
 * Workflow definitions by immutable version. Storing the latest version's text again changes
 * nothing; any other text (an older version's included: a rollback) becomes the next version.
 */
export class PostgresWorkflowStore {
  constructor(private readonly db: Kysely<AirlockSchema>) {}

  /** Stores a version unless the latest has the same digest; concurrent applies of one name get distinct versions. */
  async insertVersion(
    input: Omit<StoredWorkflowVersion, 'version' | 'createdAt'>,
  ): Promise<{ version: StoredWorkflowVersion; created: boolean }> {
    for (let attempt = 0; attempt < 5; attempt++) {
      const latest = await this.get(input.name);
      if (latest?.digest === input.digest) return { version: latest, created: false };
      const version = (latest?.version ?? 0) + 1;
      const inserted = await this.db
        .insertInto('workflow_version')
        .values({
          name: input.name,
          version,
          digest: input.digest,
          source: input.source,
          definition: JSON.stringify(input.definition),
          created_by: input.createdBy,
          created_at: new Date(),
        })
        .onConflict((oc) => oc.doNothing())
        .returningAll()
        .executeTakeFirst();
      if (inserted) return { version: toVersion(inserted), created: true };
    }
    throw new Error(
      `could not store a version of workflow ${input.name}: concurrent updates kept conflicting`,
    );
  }

  async get(name: string, version?: number): Promise<StoredWorkflowVersion | undefined> {
    let query = this.db.selectFrom('workflow_version').selectAll().where('name', '=', name);
    query =
      version === undefined
        ? query.orderBy('version', 'desc').limit(1)
        : query.where('version', '=', version);
    const row = await query.executeTakeFirst();
    return row ? toVersion(row) : undefined;
  }

  async listVersions(name: string): Promise<StoredWorkflowVersion[]> {
    const rows = await this.db
      .selectFrom('workflow_version')
      .selectAll()
      .where('name', '=', name)
      .orderBy('version', 'desc')
      .execute();
    return rows.map(toVersion);
  }

  /** The latest version of every workflow. */
  async latest(): Promise<StoredWorkflowVersion[]> {
    const rows = await this.db
      .selectFrom('workflow_version as w')
      .selectAll('w')
      .where(({ eb, selectFrom }) =>
        eb(
          'w.version',
          '=',
          selectFrom('workflow_version as v')
            .select((e) => e.fn.max('v.version').as('m'))
            .whereRef('v.name', '=', 'w.name'),
        ),
      )
      .orderBy('w.name')
      .execute();
    return rows.map(toVersion);
  }
}

function toVersion(row: {
  name: string;
  version: number;
  digest: string;
  source: string;
  definition: unknown;
  created_at: Date;
  created_by: string;
}): StoredWorkflowVersion {
  return {
    name: row.name,
    version: row.version,
    digest: row.digest,
    source: row.source,
    definition: row.definition as Record<string, unknown>,
    createdAt: row.created_at,
    createdBy: row.created_by,
  };
}
