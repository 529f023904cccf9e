import { ACTIONS, type Action, type RegistryConfig, type RegistryNamespace } from '../config.js';

/** Who is asking: a configured user or robot, or nobody in particular. */
export interface Identity {
  subject: string;
  kind: 'anonymous' | 'user' | 'robot';
  roles: string[];
}

export const ANONYMOUS: Identity = Object.freeze({
  subject: 'anonymous',
  kind: 'anonymous',
  roles: [],
}) as Identity;

const NONE: ReadonlySet<Action> = new Set();
const ALL: ReadonlySet<Action> = new Set(ACTIONS);

interface CompiledNamespace {
  parts: string[];
  namespace: RegistryNamespace;
}

/**
 * Who may do what where. Without `auth` the registry is open (every action for everyone —
 * it then listens on loopback only). With `auth` and no namespaces, any authenticated
 * principal may do everything and anonymous clients nothing. With namespaces, the first
 * whose glob matches the repository decides; a repository no namespace matches is closed.
 */
export class AccessPolicy {
  readonly open: boolean;
  private readonly namespaces: CompiledNamespace[];
  private readonly principals = new Map<string, Identity>();

  constructor(config: Pick<RegistryConfig, 'auth' | 'namespaces'>) {
    this.open = config.auth === undefined;
    this.namespaces = config.namespaces.map((namespace) => ({
      parts: namespace.match.split('/'),
      namespace,
    }));
    for (const user of config.auth?.users ?? [])
      this.principals.set(user.name, { subject: user.name, kind: 'user', roles: user.roles });
    for (const robot of config.auth?.robots ?? [])
      this.principals.set(robot.name, { subject: robot.name, kind: 'robot', roles: robot.roles });
  }

  /** The configured principal of a token subject; anonymous when it is no longer configured. */
  identityOf(subject: string): Identity {
    return this.principals.get(subject) ?? ANONYMOUS;
  }

  actionsFor(identity: Identity, repository: string): ReadonlySet<Action> {
    if (this.open) return ALL;
    if (this.namespaces.length === 0) return identity.kind === 'anonymous' ? NONE : ALL;
    const namespace = this.namespaceOf(repository);
    if (!namespace) return NONE;
    if (identity.kind === 'anonymous') return namespace.anonymousPull ? new Set<Action>(['pull']) : NONE;
    const granted = new Set<Action>(namespace.anonymousPull ? ['pull'] : []);
    for (const role of [...identity.roles, '*'])
      for (const action of namespace.roles[role] ?? []) granted.add(action);
    return granted;
  }

  /** `_catalog` is for authenticated principals (it then lists what they may pull), or everyone when open. */
  mayListCatalog(identity: Identity): boolean {
    return this.open || identity.kind !== 'anonymous';
  }

  /** The namespace that governs a repository (for messages), if any. */
  namespaceOf(repository: string): RegistryNamespace | undefined {
    const parts = repository.split('/');
    return this.namespaces.find((n) => matchGlob(n.parts, 0, parts, 0))?.namespace;
  }
}

/** `*` matches one path component, `**` any number (zero included). */
export function matchGlob(pattern: string[], p: number, name: string[], n: number): boolean {
  if (p === pattern.length) return n === name.length;
  const part = pattern[p]!;
  if (part === '**') {
    for (let skip = n; skip <= name.length; skip++) if (matchGlob(pattern, p + 1, name, skip)) return true;
    return false;
  }
  if (n === name.length) return false;
  return (part === '*' || part === name[n]) && matchGlob(pattern, p + 1, name, n + 1);
}
