import type { Kysely } from 'kysely';
import type { AirlockSchema } from '../schema.js';
import './schema.js';

/** Registry events already acted on, so that a redelivered notification starts nothing twice. */
export class PostgresEventStore {
  constructor(private readonly db: Kysely<AirlockSchema>) {}

  /** True the first time an id is seen. */
  async firstSeen(id: string): Promise<boolean> {
    const row = await this.db
      .insertInto('trigger_event')
      .values({ id, received_at: new Date() })
      .onConflict((oc) => oc.column('id').doNothing())
      .returning('id')
      .executeTakeFirst();
    return row !== undefined;
  }
}
