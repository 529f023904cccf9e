export {
  type Credential,
  type CredentialProvider,
  type GetCredentialOptions,
  describeCredential,
} from './credential.js';
export { type Env, type LocateOptions } from './config-paths.js';
export { StaticCredentials, credentialsFromEnv, REGISTRY_AUTH_ENV } from './static-credentials.js';
export {
  DockerConfigCredentials,
  type DockerConfigCredentialsOptions,
  type CredentialFileSource,
} from './docker-config-credentials.js';
export { type AuthFileFormat } from './auth-file.js';
export { DEFAULT_HELPER_TIMEOUT_MS } from './credential-helper.js';
export { ChainCredentials } from './chain-credentials.js';
export { CredentialFileStore, type CredentialFileStoreOptions } from './credential-file-store.js';
export { defaultCredentialProvider, type DefaultCredentialProviderOptions } from './default-provider.js';
export { resolveHome } from './config-paths.js';
export { writeFileAtomic } from './atomic-write.js';
