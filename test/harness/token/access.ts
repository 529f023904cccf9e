import { AppError } from '../../../src/kernel/index.js';
import type { TokenAccess } from './jwt.js';

/**
 * Which repositories a principal may touch and how. `repository` is a RegExp or a glob where
 * `*` matches within one path segment and `**` across segments (`library/*`, `team/**`).
 */
export interface AccessRule {
  repository: string | RegExp;
  actions: string[];
}

/** What a user without explicit rules may do: everything, to every repository. */
export const FULL_ACCESS: readonly AccessRule[] = [{ repository: '**', actions: ['*'] }];

/**
 * Parses `scope` parameters (distribution docs/spec/auth/scope.md):
 * `type[(class)]:name:action[,action]`. The name may itself contain `:` (a registry host with a
 * port), so the type ends at the first colon and the actions start after the last one. One
 * parameter may hold several scopes separated by spaces, as the OAuth2 form does (RFC 6749 §3.3).
 */
export function parseScopes(values: readonly string[]): TokenAccess[] {
  return values.flatMap((value) =>
    value
      .split(' ')
      .filter((part) => part !== '')
      .map(parseScope),
  );
}

function parseScope(text: string): TokenAccess {
  const first = text.indexOf(':');
  const last = text.lastIndexOf(':');
  if (first <= 0 || last === first || last === text.length - 1) {
    throw new AppError('USAGE_INVALID', `malformed scope "${text}": expected type:name:actions`);
  }
  const type = text.slice(0, first).replace(/\(.*\)$/, '');
  return { type, name: text.slice(first + 1, last), actions: text.slice(last + 1).split(',') };
}

/**
 * The access a principal gets for what it asked: for each requested repository, the requested
 * actions its rules allow. Registry-wide resources (`registry:catalog:*`) go to authenticated
 * principals only. Scopes that end up with no action are left out, as Docker Hub does, so the
 * registry — not the token service — refuses the request.
 */
export function grantAccess(
  requested: readonly TokenAccess[],
  rules: readonly AccessRule[],
  authenticated: boolean,
): TokenAccess[] {
  const granted: TokenAccess[] = [];
  for (const scope of requested) {
    let actions: string[] = [];
    if (scope.type === 'repository') {
      const allowed = rules
        .filter((rule) => matchesRepository(rule.repository, scope.name))
        .flatMap((rule) => rule.actions);
      actions = allowed.includes('*')
        ? scope.actions
        : scope.actions.filter((action) => allowed.includes(action));
    } else if (scope.type === 'registry' && authenticated) {
      actions = scope.actions;
    }
    if (actions.length > 0)
      granted.push({ type: scope.type, name: scope.name, actions: [...new Set(actions)] });
  }
  return granted;
}

export function matchesRepository(pattern: string | RegExp, name: string): boolean {
  return (typeof pattern === 'string' ? globToRegExp(pattern) : pattern).test(name);
}

function globToRegExp(glob: string): RegExp {
  const source = glob
    .split('**')
    .map((part) =>
      part
        .split('*')
        .map((literal) => literal.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
        .join('[^/]*'),
    )
    .join('.*');
  return new RegExp(`^${source}$`);
}
