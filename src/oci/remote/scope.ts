import { AppError } from '../../kernel/index.js';
import { isValidRepositoryPath } from '../ref/index.js';

/**
 * A token scope of the distribution token authentication protocol ("Token Scope
 * Documentation" of CNCF distribution): `repository:library/python:pull,push`,
 * `registry:catalog:*`.
 *
 *   scope         := resourcescope [ ' ' resourcescope ]*
 *   resourcescope := resourcetype ":" resourcename ":" action [ ',' action ]*
 *   resourcetype  := [a-z0-9]+ [ '(' [a-z0-9]+ ')' ]
 */
export interface Scope {
  type: string;
  /** Resource name; may itself contain ":" (`host:port/repo` on some registries). */
  name: string;
  actions: string[];
}

export type RepositoryAction = 'pull' | 'push' | 'delete' | '*';

const RESOURCE_TYPE = /^[a-z0-9]+(?:\([a-z0-9]+\))?$/;
/** distribution allows `[a-z]*`; registries also use `*` and names such as ACR's `metadata_read`. */
const ACTION = /^(?:\*|[a-z][a-z0-9_-]*)$/;

/** The wire form, with actions de-duplicated and sorted so that equal scopes format equally. */
export function formatScope(scope: Scope): string {
  return `${scope.type}:${scope.name}:${normalizeActions(scope.actions).join(',')}`;
}

/**
 * Parses one resource scope; undefined when it is not one. The actions are after the last
 * ":", the type before the first, and everything between is the name.
 */
export function parseScope(text: string): Scope | undefined {
  const first = text.indexOf(':');
  const last = text.lastIndexOf(':');
  if (first <= 0 || last === first) return undefined;
  const type = text.slice(0, first);
  const name = text.slice(first + 1, last);
  const actions = text
    .slice(last + 1)
    .split(',')
    .filter((action) => action !== '');
  if (!RESOURCE_TYPE.test(type) || name === '' || /[\s,]/.test(name)) return undefined;
  if (actions.length === 0 || !actions.every((action) => ACTION.test(action))) return undefined;
  return { type, name, actions: normalizeActions(actions) };
}

/** Parses a space-separated list of scopes (a challenge's `scope` parameter), skipping unreadable ones. */
export function parseScopes(text: string): Scope[] {
  return text
    .split(/\s+/)
    .filter((part) => part !== '')
    .map(parseScope)
    .filter((scope): scope is Scope => scope !== undefined);
}

/** Merges scopes of the same resource, unioning their actions; resources keep their first-seen order. */
export function mergeScopes(scopes: Scope[]): Scope[] {
  const merged = new Map<string, Scope>();
  for (const scope of scopes) {
    const key = `${scope.type}\u0000${scope.name}`;
    const seen = merged.get(key);
    if (seen) seen.actions = normalizeActions([...seen.actions, ...scope.actions]);
    else merged.set(key, { type: scope.type, name: scope.name, actions: normalizeActions(scope.actions) });
  }
  return [...merged.values()];
}

/** A cache key for a set of scopes: equal for sets that grant the same access, whatever their order. */
export function scopeKey(scopes: Scope[]): string {
  return mergeScopes(scopes).map(formatScope).sort().join(' ');
}

/** The scope for acting on one repository (its path on the registry, without the host). */
export function repositoryScope(repository: string, actions: RepositoryAction[]): Scope {
  if (!isValidRepositoryPath(repository)) {
    throw new AppError(
      'OCI_NAME_INVALID',
      `cannot build a token scope for invalid repository name "${repository}"`,
    );
  }
  if (actions.length === 0) {
    throw new AppError('INTERNAL', `a token scope for repository "${repository}" needs at least one action`);
  }
  return { type: 'repository', name: repository, actions: normalizeActions(actions) };
}

function normalizeActions(actions: readonly string[]): string[] {
  return [...new Set(actions)].sort();
}
