/**
 * What a registry accepts, in the vocabulary of Docker's `config.json` `auths` entries:
 * a username and password (`auth` or `username`/`password`), an OAuth2 refresh token
 * (`identitytoken`, used by ACR and some Harbor setups to obtain access tokens), or a bearer
 * token sent as is (`registrytoken`).
 */
export type Credential =
  | { kind: 'basic'; username: string; password: string }
  | { kind: 'identity-token'; username?: string; token: string }
  | { kind: 'registry-token'; token: string };

export interface GetCredentialOptions {
  signal?: AbortSignal;
}

/** A source of registry credentials: configuration, credential files, credential helpers. */
export interface CredentialProvider {
  /**
   * Credentials for a canonical registry name (`docker.io`, `ghcr.io`, `localhost:5000`),
   * or undefined when this source has none. Throws when the source is broken (a malformed
   * file, a failing credential helper) rather than answering "none", so that a
   * misconfiguration never silently turns into anonymous access.
   */
  get(registry: string, options?: GetCredentialOptions): Promise<Credential | undefined>;
}

/** A credential as it may be logged: its kind and username, never a secret. */
export function describeCredential(credential: Credential | undefined): string {
  if (!credential) return 'anonymous';
  switch (credential.kind) {
    case 'basic':
      return `basic (user ${JSON.stringify(credential.username)})`;
    case 'identity-token':
      return credential.username === undefined
        ? 'identity token'
        : `identity token (user ${JSON.stringify(credential.username)})`;
    case 'registry-token':
      return 'registry token';
  }
}
