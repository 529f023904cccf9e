import { resolve } from 'node:path';

/** Used when neither a flag nor `AIRLOCK_DATA_DIR` names the data directory: next to where Airlock runs. */
export const DEFAULT_DATA_DIR = '.airlock';

/**
 * Airlock's data directory: the explicit value (a `--data` flag), else `$AIRLOCK_DATA_DIR`,
 * else `./.airlock`, as an absolute path.
 */
export function resolveDataDir(explicit: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  const chosen =
    explicit ??
    (env.AIRLOCK_DATA_DIR && env.AIRLOCK_DATA_DIR !== '' ? env.AIRLOCK_DATA_DIR : DEFAULT_DATA_DIR);
  return resolve(chosen);
}
