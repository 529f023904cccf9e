import { AppError, type Logger } from '../kernel/index.js';
import { type AuditVerification, PostgresAuditLog } from '../store/index.js';
import { openAirlockDatabase } from './database.js';

export interface VerifyAuditLogOptions {
  dataDir: string;
  env?: NodeJS.ProcessEnv;
  logger?: Logger;
  signal?: AbortSignal;
  /** `SEQ:HASH` recorded from an earlier verification. */
  anchor?: string;
}

/**
 * Recomputes the audit log's hash chain straight from the database — not through the API,
 * whose answers an attacker who controls the server could shape.
 */
export async function verifyAuditLogInDatabase(
  options: VerifyAuditLogOptions,
): Promise<AuditVerification & { database: string }> {
  const anchor = options.anchor === undefined ? undefined : parseAnchor(options.anchor);
  const database = await openAirlockDatabase(options);
  try {
    const verification = await new PostgresAuditLog(database.db).verify({ anchor, signal: options.signal });
    return { database: database.location, ...verification };
  } finally {
    await database.close();
  }
}

/** `1234:9f86d0…` (a head printed by an earlier `airlock audit verify`). */
export function parseAnchor(text: string): { seq: number; hash: string } {
  const match = /^(\d+):([0-9a-f]{64})$/.exec(text.trim());
  if (!match || Number(match[1]) < 1)
    throw new AppError(
      'USAGE_INVALID',
      `--anchor must be SEQ:HASH as "airlock audit verify" prints it, got "${text}"`,
    );
  return { seq: Number(match[1]), hash: match[2]! };
}
