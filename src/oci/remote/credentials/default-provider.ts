import { ChainCredentials } from './chain-credentials.js';
import type { LocateOptions } from './config-paths.js';
import type { Credential, CredentialProvider } from './credential.js';
import { CredentialFileStore } from './credential-file-store.js';
import { DockerConfigCredentials, type DockerConfigCredentialsOptions } from './docker-config-credentials.js';
import { StaticCredentials, credentialsFromEnv } from './static-credentials.js';

export interface DefaultCredentialProviderOptions extends LocateOptions {
  /** Credentials from Airlock's configuration, by registry; they win over every other source. */
  credentials?: Readonly<Record<string, Credential>>;
  /** Airlock's own credentials file; default the one at its standard location. */
  store?: CredentialFileStore;
  /**
   * Whether to read the files of docker, podman and skopeo (and run their credential
   * helpers), or options for doing so; default true.
   */
  dockerConfig?: boolean | Omit<DockerConfigCredentialsOptions, keyof LocateOptions>;
}

/**
 * The sources Airlock takes credentials from, most specific first: explicit configuration,
 * then `AIRLOCK_REGISTRY_AUTH`, then Airlock's own credentials file (`airlock login`), then
 * the files docker, podman and skopeo write.
 */
export function defaultCredentialProvider(options: DefaultCredentialProviderOptions = {}): ChainCredentials {
  const locate: LocateOptions = { env: options.env, homeDir: options.homeDir };
  const providers: CredentialProvider[] = [
    new StaticCredentials(options.credentials ?? {}),
    credentialsFromEnv(options.env ?? process.env),
    options.store ?? new CredentialFileStore(locate),
  ];
  if (options.dockerConfig !== false) {
    const docker =
      options.dockerConfig === true || options.dockerConfig === undefined ? {} : options.dockerConfig;
    providers.push(new DockerConfigCredentials({ ...docker, ...locate }));
  }
  return new ChainCredentials(providers);
}
