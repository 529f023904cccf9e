import type { AuditLog, TokenStore } from '../../store/index.js';

/** Subject of the token created on first start; a person renames nothing, they create their own tokens with it. */
export const BOOTSTRAP_SUBJECT = 'user:admin';

export interface BootstrapOptions {
  audit?: AuditLog;
  signal?: AbortSignal;
}

/**
 * The first admin token, created only when no token has ever existed (atomically, so that several
 * processes starting together create one). Returns the secret for the caller to print once;
 * undefined on every later start.
 */
export async function bootstrapAdminToken(
  tokens: TokenStore,
  options: BootstrapOptions = {},
): Promise<string | undefined> {
  const created = await tokens.createFirst(
    {
      subject: BOOTSTRAP_SUBJECT,
      roles: ['admin'],
      description: 'created on first start; create personal tokens with it, then revoke it',
      createdBy: 'system:bootstrap',
    },
    { signal: options.signal },
  );
  if (!created) return undefined;
  await options.audit?.append(
    {
      actor: 'system:bootstrap',
      action: 'token.create',
      target: `token:${created.record.id}`,
      details: { subject: created.record.subject, roles: created.record.roles },
    },
    { signal: options.signal },
  );
  return created.token;
}
