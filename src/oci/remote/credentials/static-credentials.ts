import { AppError, throwIfAborted } from '../../../kernel/index.js';
import { parseAuthEntry } from './auth-entry.js';
import type { Env } from './config-paths.js';
import type { Credential, CredentialProvider, GetCredentialOptions } from './credential.js';
import { isJsonObject, parseJsonText } from './json-text.js';
import { canonicalRegistry, registryFromKey } from './registry-name.js';

/**
 * Credentials given directly — from Airlock's configuration or the environment. Keys are
 * registry names as a user writes them (`ghcr.io`, `index.docker.io`, `https://index.docker.io/v1/`),
 * matched by their canonical name.
 */
export class StaticCredentials implements CredentialProvider {
  private readonly byRegistry = new Map<string, Credential>();

  constructor(credentials: Readonly<Record<string, Credential>> | ReadonlyMap<string, Credential> = {}) {
    const entries = credentials instanceof Map ? [...credentials] : Object.entries(credentials);
    for (const [key, credential] of entries) {
      const registry = registryFromKey(key, 'host');
      if (registry === undefined) {
        throw new AppError(
          'AUTH_CONFIG_INVALID',
          `credentials are configured for ${JSON.stringify(key)}, which is not a registry host name`,
        );
      }
      this.byRegistry.set(registry, credential);
    }
  }

  /** The registries this provider has credentials for, canonical names. */
  get registries(): string[] {
    return [...this.byRegistry.keys()];
  }

  async get(registry: string, options: GetCredentialOptions = {}): Promise<Credential | undefined> {
    throwIfAborted(options.signal);
    return this.byRegistry.get(canonicalRegistry(registry));
  }
}

/** The environment variable {@link credentialsFromEnv} reads. */
export const REGISTRY_AUTH_ENV = 'AIRLOCK_REGISTRY_AUTH';

/**
 * Credentials from the environment, for containers and CI where writing files is awkward.
 *
 * `AIRLOCK_REGISTRY_AUTH` holds a JSON object mapping registries to entries in the format
 * of Docker's config.json `auths` entries, e.g.
 * `{"ghcr.io": {"username": "bot", "password": "..."}, "myacr.azurecr.io": {"identitytoken": "..."}}`
 * (`auth`, `username`/`password`, `identitytoken` and `registrytoken` are understood).
 * Unset or empty means no credentials.
 *
 * The other variables the credentials sources read: `DOCKER_CONFIG` (directory of Docker's
 * config.json), `REGISTRY_AUTH_FILE`, `XDG_RUNTIME_DIR` and `XDG_CONFIG_HOME` (containers
 * auth files), `AIRLOCK_CONFIG_DIR` (Airlock's own auth.json), `HOME`, and `PATH` (where
 * `docker-credential-<name>` helpers are found).
 */
export function credentialsFromEnv(env: Env = process.env): StaticCredentials {
  const text = env[REGISTRY_AUTH_ENV];
  if (text === undefined || text.trim() === '') return new StaticCredentials();
  const document = parseJsonText(text, REGISTRY_AUTH_ENV);
  if (!isJsonObject(document)) {
    throw new AppError(
      'AUTH_CONFIG_INVALID',
      `${REGISTRY_AUTH_ENV} must be a JSON object mapping registries to credentials`,
    );
  }
  const credentials = new Map<string, Credential>();
  for (const [key, value] of Object.entries(document)) {
    const credential = parseAuthEntry(value, `${REGISTRY_AUTH_ENV}[${JSON.stringify(key)}]`);
    if (credential === undefined) {
      throw new AppError(
        'AUTH_CONFIG_INVALID',
        `${REGISTRY_AUTH_ENV}[${JSON.stringify(key)}] holds no credentials: give username and password, identitytoken or registrytoken`,
      );
    }
    credentials.set(key, credential);
  }
  return new StaticCredentials(credentials);
}
