import { createHmac, randomBytes } from 'node:crypto';
import { type Clock, Limiter } from '../../kernel/index.js';
import type { RegistryAuthConfig } from '../config.js';
import type { Identity } from './access-policy.js';
import { verifySecret } from './secrets.js';
import type { CallOptions } from '../../oci/content/index.js';

interface Principal {
  identity: Identity;
  hash: string;
}

/** How long a verified password is remembered, so that a client's burst of token requests costs one scrypt. */
const VERIFIED_TTL_MS = 5 * 60_000;
/** scrypt checks run at once; more wait, so that a flood of logins cannot take all memory and CPU. */
const CONCURRENT_CHECKS = 2;
// A well-formed hash that matches nothing: unknown names cost as much as wrong passwords.
const DUMMY_HASH =
  '$scrypt$ln=15,r=8,p=1$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=';

/** Checks Basic credentials (user passwords, robot tokens) against the configured hashes. */
export class Authenticator {
  private readonly principals = new Map<string, Principal>();
  private readonly verified = new Map<string, number>();
  private readonly limiter = new Limiter(CONCURRENT_CHECKS);
  // Keys the verified-credentials cache, so that memory never holds a plain password digest.
  private readonly cacheKey = randomBytes(32);

  constructor(
    auth: RegistryAuthConfig,
    private readonly clock: Clock,
  ) {
    for (const user of auth.users) {
      this.principals.set(user.name, {
        identity: { subject: user.name, kind: 'user', roles: user.roles },
        hash: user.passwordHash,
      });
    }
    for (const robot of auth.robots) {
      this.principals.set(robot.name, {
        identity: { subject: robot.name, kind: 'robot', roles: robot.roles },
        hash: robot.tokenHash,
      });
    }
  }

  /** The principal the credentials belong to, or undefined when they are wrong. */
  async authenticate(
    username: string,
    secret: string,
    { signal }: CallOptions = {},
  ): Promise<Identity | undefined> {
    const principal = this.principals.get(username);
    const key = createHmac('sha256', this.cacheKey)
      .update(`${username}\0${secret}\0${principal?.hash ?? ''}`)
      .digest('base64');
    const now = this.clock.now();
    const until = this.verified.get(key);
    if (principal && until !== undefined && until > now) return principal.identity;
    const ok = await this.limiter.run(() => verifySecret(secret, principal?.hash ?? DUMMY_HASH), signal);
    if (!ok || !principal) return undefined;
    this.remember(key, now + VERIFIED_TTL_MS);
    return principal.identity;
  }

  private remember(key: string, until: number): void {
    if (this.verified.size >= 10_000) this.verified.clear();
    this.verified.set(key, until);
  }
}
