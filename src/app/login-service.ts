import { AppError } from '../kernel/index.js';
import { canonicalRegistry } from '../oci/ref/index.js';
import { type Credential, CredentialFileStore, StaticCredentials } from '../oci/remote/credentials/index.js';
import { RegistrySession } from '../oci/remote/index.js';

export interface LoginOptions {
  env: NodeJS.ProcessEnv;
  insecure?: string[];
  signal?: AbortSignal;
}

/**
 * Checks credentials against the registry (`GET /v2/`, through its token service when it
 * has one) and only then stores them in Airlock's credentials file. Returns the file path.
 */
export async function login(
  registry: string,
  credential: Credential,
  options: LoginOptions,
): Promise<{ registry: string; path: string }> {
  const name = canonicalRegistry(registry);
  const session = new RegistrySession({
    credentials: new StaticCredentials({ [name]: credential }),
    insecure: options.insecure,
  });
  try {
    await session.ping(name, options.signal);
  } finally {
    await session.close();
  }
  const store = new CredentialFileStore({ env: options.env });
  await store.save(name, credential, { signal: options.signal });
  return { registry: name, path: store.path };
}

export async function logout(
  registry: string,
  options: LoginOptions,
): Promise<{ registry: string; path: string }> {
  const name = canonicalRegistry(registry);
  const store = new CredentialFileStore({ env: options.env });
  if (!(await store.remove(name, { signal: options.signal }))) {
    throw new AppError('USAGE_INVALID', `not logged in to ${name} (no entry in ${store.path})`);
  }
  return { registry: name, path: store.path };
}
