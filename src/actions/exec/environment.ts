import type { ActionContext } from '../../engine/actions/contract.js';
import { invalidInput } from '../support/failure.js';
import { requireSecret } from '../support/secrets.js';

/**
 * What a command inherits from the worker's environment. Deliberately short: the worker's
 * environment holds the database URL and registry credentials, which a user's command must
 * not see. Proxies and CA settings pass, so that commands work on the same network.
 */
export const INHERITED_VARIABLES = [
  'PATH',
  'HOME',
  'USER',
  'LOGNAME',
  'SHELL',
  'LANG',
  'LC_ALL',
  'LC_CTYPE',
  'TZ',
  'TMPDIR',
  'HTTP_PROXY',
  'HTTPS_PROXY',
  'NO_PROXY',
  'http_proxy',
  'https_proxy',
  'no_proxy',
  'SSL_CERT_FILE',
  'SSL_CERT_DIR',
  'NODE_EXTRA_CA_CERTS',
] as const;

/** Variables Airlock sets to tell the command where it runs; workflows cannot override them. */
const RESERVED_PREFIX = 'AIRLOCK_';

export interface CommandEnvironment {
  env: Record<string, string>;
  /** Secret values exposed to the command, to mask in its log lines and in messages. */
  secrets: string[];
}

/**
 * The command's environment: the inherited allow-list, the workflow's and the step's `env`,
 * the action's `with.env`, the requested secrets under their own names, and the step's
 * identity (`AIRLOCK_RUN_ID`, `AIRLOCK_STEP_ID`, `AIRLOCK_ATTEMPT`, `AIRLOCK_STEP_INDEX`).
 */
export function commandEnvironment(
  context: ActionContext,
  given: Record<string, string>,
  secretNames: readonly string[],
  parent: NodeJS.ProcessEnv = process.env,
): CommandEnvironment {
  const env: Record<string, string> = {};
  for (const name of INHERITED_VARIABLES) {
    const value = parent[name];
    if (value !== undefined) env[name] = value;
  }
  // The workflow's and the step's `env`, then the action's own `with.env`, which wins.
  for (const [name, value] of Object.entries(context.env)) {
    if (!name.toUpperCase().startsWith(RESERVED_PREFIX)) env[name] = value;
  }
  for (const [name, value] of Object.entries(given)) {
    if (name.toUpperCase().startsWith(RESERVED_PREFIX)) {
      throw invalidInput(`env.${name}: variables starting with ${RESERVED_PREFIX} are set by Airlock`, {
        field: 'env',
      });
    }
    env[name] = value;
  }
  const secrets: string[] = [];
  for (const name of new Set(secretNames)) {
    if (Object.hasOwn(given, name)) {
      throw invalidInput(`secrets: ${name} is also set in env; give it once`, { field: 'secrets' });
    }
    const value = requireSecret(context, name, 'secrets');
    env[name] = value;
    secrets.push(value);
  }
  env.AIRLOCK_RUN_ID = context.runId;
  env.AIRLOCK_STEP_ID = context.stepId;
  env.AIRLOCK_ATTEMPT = String(context.attempt);
  if (context.index !== undefined) env.AIRLOCK_STEP_INDEX = String(context.index);
  return { env, secrets };
}
