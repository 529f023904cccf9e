import type { KeyedMutex, Logger } from '../../kernel/index.js';
import type { Scope } from './scope.js';
import { repositoryScope } from './scope.js';
import type { RegistryTransport } from './transport.js';

/** What the per-area operation modules of a remote repository share. */
export interface RepositoryContext {
  transport: RegistryTransport;
  registry: string;
  repository: string;
  logger: Logger;
  /** Largest manifest accepted from the registry (hostile registries). */
  maxManifestBytes: number;
  /** Chunk size for chunked uploads; undefined → monolithic uploads. */
  uploadChunkSize?: number;
  /** Whether the registry answers the Referrers API (session-wide memory; undefined = not yet known). */
  referrersApi: ReferrersCapability;
  /** Serialises read-modify-write updates (referrers fallback indexes) within the session. */
  updates: KeyedMutex;
}

export interface ReferrersCapability {
  get(): boolean | undefined;
  set(supported: boolean): void;
}

export function pullScopes(ctx: RepositoryContext): Scope[] {
  return [repositoryScope(ctx.repository, ['pull'])];
}

export function pushScopes(ctx: RepositoryContext): Scope[] {
  return [repositoryScope(ctx.repository, ['pull', 'push'])];
}

export function deleteScopes(ctx: RepositoryContext): Scope[] {
  return [repositoryScope(ctx.repository, ['delete'])];
}

/** `/v2/<name>/<rest>`; the name's path separators stay as they are (distribution-spec v1.1 endpoints). */
export function v2Path(ctx: RepositoryContext, rest: string): string {
  return `/v2/${ctx.repository}/${rest}`;
}
