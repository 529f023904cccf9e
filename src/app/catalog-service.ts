import { canonicalRegistry } from '../oci/ref/index.js';
import type { RegistrySession } from '../oci/remote/index.js';

export interface ListRepositoriesOptions {
  session: RegistrySession;
  /** Only repositories under this path prefix (`library/`). */
  prefix?: string;
  signal?: AbortSignal;
}

/** Repositories of a registry (`/v2/_catalog`, paginated); many public registries refuse it. */
export async function listRepositories(
  registry: string,
  options: ListRepositoriesOptions,
): Promise<string[]> {
  const out: string[] = [];
  for await (const repository of options.session.listRepositories(canonicalRegistry(registry), {
    signal: options.signal,
  })) {
    if (!options.prefix || repository.startsWith(options.prefix)) out.push(repository);
  }
  return out;
}
