import { throwIfAborted } from '../../../kernel/index.js';
import type { Credential, CredentialProvider, GetCredentialOptions } from './credential.js';

/**
 * Asks providers in order; the first with credentials wins. A provider that fails stops the
 * search with its error instead of letting a later, possibly different, identity answer.
 */
export class ChainCredentials implements CredentialProvider {
  readonly providers: readonly CredentialProvider[];

  constructor(providers: readonly CredentialProvider[]) {
    this.providers = [...providers];
  }

  async get(registry: string, options: GetCredentialOptions = {}): Promise<Credential | undefined> {
    for (const provider of this.providers) {
      throwIfAborted(options.signal);
      const credential = await provider.get(registry, options);
      if (credential) return credential;
    }
    return undefined;
  }
}
