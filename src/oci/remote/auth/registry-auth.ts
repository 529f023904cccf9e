import { createHash } from 'node:crypto';
import type { Dispatcher } from '../../../kernel/http/index.js';
import { AppError, type Clock, type Logger, redactUrl } from '../../../kernel/index.js';
import type { AuthChallenge } from '../challenge.js';
import type { Credential, CredentialProvider } from '../credentials/index.js';
import { type Scope, formatScope, parseScope, scopeKey } from '../scope.js';
import type { TokenCache } from './token-cache.js';
import { requestToken } from './token-client.js';

export interface RegistryAuthOptions {
  /** Canonical registry name; credentials are looked up for it and for it only. */
  registry: string;
  credentials: CredentialProvider;
  tokens: TokenCache;
  /** Dispatcher for token realms (which may be on another host than the registry). */
  dispatcher: Dispatcher;
  /**
   * For a realm on the registry's own host: a registry the user marked insecure (its
   * certificate is not checked) serves its token endpoint with the same certificate.
   */
  ownHost?: { host: string; dispatcher: Dispatcher };
  userAgent: string;
  clock: Clock;
  logger: Logger;
  /** Whether a plain-HTTP realm may receive credentials (loopback or user-marked insecure). */
  isInsecureAllowed: (url: URL) => boolean;
}

/**
 * Authentication state of one registry: the scheme it asked for (learned from its first
 * `401`), the token realm it advertised, and tokens per repository scope. Credentials are
 * sent only to that registry (Basic) or to the realm that registry itself advertised.
 */
export class RegistryAuth {
  private scheme: 'bearer' | 'basic' | undefined;
  private realm: URL | undefined;
  private service: string | undefined;
  private credential: Promise<Credential | undefined> | undefined;

  constructor(private readonly options: RegistryAuthOptions) {}

  /** The `Authorization` value to send for `scopes`, once the registry's scheme is known. */
  async header(scopes: Scope[], signal?: AbortSignal): Promise<string | undefined> {
    if (this.scheme === undefined) return undefined;
    const credential = await this.lookupCredential(signal);
    if (this.scheme === 'basic') return credential?.kind === 'basic' ? basicHeader(credential) : undefined;
    if (credential?.kind === 'registry-token') return `Bearer ${credential.token}`;
    const realm = this.realm!;
    const scopeStrings = scopes.map(formatScope);
    const key = this.tokenKey(scopes, credential);
    const cached = await this.options.tokens.get(key, () => {
      this.options.logger.debug(
        { registry: this.options.registry, scopes: scopeStrings },
        'requesting registry token',
      );
      return requestToken({
        realm,
        service: this.service,
        scopes: scopeStrings,
        credential,
        dispatcher:
          this.options.ownHost && realm.host === this.options.ownHost.host
            ? this.options.ownHost.dispatcher
            : this.options.dispatcher,
        userAgent: this.options.userAgent,
        clock: this.options.clock,
        signal,
      });
    });
    return `Bearer ${cached.token}`;
  }

  /**
   * Handles a `401`: learns the challenge, forgets a rejected token, and returns the
   * header to retry with — or undefined when there is nothing new to try.
   */
  async onUnauthorized(
    challenges: AuthChallenge[],
    scopes: Scope[],
    rejected: string | undefined,
    signal?: AbortSignal,
  ): Promise<string | undefined> {
    const bearer = challenges.find((c) => c.scheme === 'bearer' && c.params.realm);
    if (bearer) {
      this.learnBearer(bearer);
      const wanted = scopes.length > 0 ? scopes : challengeScopes(bearer);
      if (rejected?.startsWith('Bearer ')) {
        const credential = await this.lookupCredential(signal);
        this.options.tokens.invalidate(this.tokenKey(wanted, credential), rejected.slice('Bearer '.length));
      }
      const header = await this.header(wanted, signal);
      return header === rejected ? undefined : header;
    }
    if (challenges.some((c) => c.scheme === 'basic')) {
      this.scheme = 'basic';
      const header = await this.header(scopes, signal);
      return header === rejected ? undefined : header;
    }
    return undefined;
  }

  /**
   * The user of a Basic `Authorization` value, so that a `401` answering it can say that the
   * registry rejected these credentials rather than that it wants some. Undefined otherwise.
   */
  basicUser(authorization: string | undefined): string | undefined {
    if (this.scheme !== 'basic' || !authorization?.startsWith('Basic ')) return undefined;
    const decoded = Buffer.from(authorization.slice('Basic '.length), 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    return colon < 0 ? undefined : decoded.slice(0, colon);
  }

  /** Whether the registry is known to want authentication (so requests can authenticate up front). */
  get knowsScheme(): boolean {
    return this.scheme !== undefined;
  }

  private learnBearer(challenge: AuthChallenge): void {
    let realm: URL;
    try {
      realm = new URL(challenge.params.realm!);
    } catch {
      throw new AppError(
        'AUTH_CHALLENGE_INVALID',
        `registry ${this.options.registry} advertised an invalid token realm "${redactUrl(challenge.params.realm ?? '')}"`,
      );
    }
    if (
      realm.protocol !== 'https:' &&
      !(realm.protocol === 'http:' && this.options.isInsecureAllowed(realm))
    ) {
      throw new AppError(
        'AUTH_CHALLENGE_INVALID',
        `registry ${this.options.registry} advertised the token realm ${redactUrl(realm)} over plain HTTP; refusing to send credentials there (mark the realm host insecure if this is intended)`,
      );
    }
    this.scheme = 'bearer';
    this.realm = realm;
    this.service = challenge.params.service;
  }

  private lookupCredential(signal?: AbortSignal): Promise<Credential | undefined> {
    this.credential ??= this.options.credentials
      .get(this.options.registry, { signal })
      .catch((error: unknown) => {
        this.credential = undefined;
        throw error;
      });
    return this.credential;
  }

  private tokenKey(scopes: Scope[], credential: Credential | undefined): string {
    return `${this.options.registry}|${scopeKey(scopes)}|${credentialFingerprint(credential)}`;
  }
}

function challengeScopes(challenge: AuthChallenge): Scope[] {
  const text = challenge.params.scope;
  if (!text) return [];
  return text
    .split(' ')
    .map((s) => parseScope(s))
    .filter((s): s is Scope => s !== undefined);
}

function basicHeader(credential: { username: string; password: string }): string {
  return `Basic ${Buffer.from(`${credential.username}:${credential.password}`).toString('base64')}`;
}

/** Distinguishes tokens obtained with different credentials without keeping the secret in a key. */
function credentialFingerprint(credential: Credential | undefined): string {
  if (!credential) return 'anonymous';
  const secret =
    credential.kind === 'basic' ? `${credential.username}:${credential.password}` : credential.token;
  return createHash('sha256').update(`${credential.kind}:${secret}`).digest('hex').slice(0, 16);
}
