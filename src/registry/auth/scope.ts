import type { Action } from '../config.js';

/** A Docker token scope: `repository:<name>:pull,push` or `registry:catalog:*`. */
export interface Scope {
  type: string;
  name: string;
  actions: string[];
}

/**
 * Parses one scope. The resource type may carry a class (`repository(plugin)`), which is
 * dropped; the name is everything between the first and the last colon.
 */
export function parseScope(text: string): Scope | undefined {
  const first = text.indexOf(':');
  const last = text.lastIndexOf(':');
  if (first <= 0 || last === first) return undefined;
  const type = text.slice(0, first).replace(/\(.*\)$/, '');
  const name = text.slice(first + 1, last);
  const actions = text
    .slice(last + 1)
    .split(',')
    .map((a) => a.trim())
    .filter((a) => a !== '');
  if (name === '' || actions.length === 0) return undefined;
  return { type, name, actions };
}

export function formatScope(scope: Scope): string {
  return `${scope.type}:${scope.name}:${scope.actions.join(',')}`;
}

export function repositoryScope(name: string, actions: readonly Action[]): Scope {
  return { type: 'repository', name, actions: [...actions] };
}

export const CATALOG_SCOPE: Scope = { type: 'registry', name: 'catalog', actions: ['*'] };

/** What a request needs: the scope to ask for in a challenge, checked action by action. */
export interface Requirement {
  scope: Scope;
}

export interface ChallengeOptions {
  realm: string;
  service: string;
  scopes: Scope[];
  /** `invalid_token` or `insufficient_scope` (RFC 6750 §3.1), when a token was presented. */
  error?: 'invalid_token' | 'insufficient_scope';
}

/** `WWW-Authenticate: Bearer realm="…",service="…",scope="…"` as Docker clients expect it. */
export function bearerChallenge(options: ChallengeOptions): string {
  let value = `Bearer realm="${quote(options.realm)}",service="${quote(options.service)}"`;
  if (options.scopes.length > 0) value += `,scope="${quote(options.scopes.map(formatScope).join(' '))}"`;
  if (options.error) value += `,error="${options.error}"`;
  return value;
}

function quote(value: string): string {
  return value.replace(/["\\]/g, '\\$&');
}
