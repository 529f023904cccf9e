import type { Role } from '../../engine/service.js';

/**
 * What a route needs, by class of operation. Every role can read; each other permission is
 * granted to one role besides admin, so that separation of duties holds: an operator who starts
 * a run cannot also approve it, and only admins see tokens and the audit log.
 */
export type Permission = 'read' | 'operate' | 'decide' | 'events' | 'admin';

const GRANTS: Record<Role, readonly Permission[]> = {
  viewer: ['read'],
  operator: ['read', 'operate', 'events'],
  approver: ['read', 'decide'],
  admin: ['read', 'operate', 'decide', 'events', 'admin'],
};

export function isAllowed(roles: readonly Role[], permission: Permission): boolean {
  return roles.some((role) => GRANTS[role]?.includes(permission));
}

/** The roles that grant `permission`, for messages and the API reference. */
export function rolesGranting(permission: Permission): Role[] {
  return (Object.keys(GRANTS) as Role[]).filter((role) => GRANTS[role].includes(permission));
}
