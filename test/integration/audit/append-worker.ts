/**
 * A separate process that appends audit entries: `node --import tsx append-worker.ts URL NAME COUNT`.
 * Used to show that appends from several processes form one unbroken chain.
 */
import { openDatabase, PostgresAuditLog, type AirlockSchema } from '../../../src/store/index.js';

const [url, name, count] = process.argv.slice(2);
const database = openDatabase<AirlockSchema>({ connectionString: url!, maxConnections: 4 });
const audit = new PostgresAuditLog(database.db);
await Promise.all(
  Array.from({ length: Number(count) }, (_, i) =>
    audit.append({ actor: `robot:${name}`, action: 'run.start', target: `run:${name}-${i}`, details: { i } }),
  ),
);
await database.close();
