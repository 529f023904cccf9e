import { readAuthFile, type AuthFile, type AuthFileFormat } from './auth-file.js';
import { containersAuthPaths, dockerConfigPath, type Env, type LocateOptions } from './config-paths.js';
import type { Credential, CredentialProvider, GetCredentialOptions } from './credential.js';
import { DEFAULT_HELPER_TIMEOUT_MS, getFromCredentialHelper } from './credential-helper.js';
import { LookupCache } from './lookup-cache.js';
import { canonicalRegistry, helperServerUrls } from './registry-name.js';

export interface DockerConfigCredentialsOptions extends LocateOptions {
  /**
   * Docker's config file, instead of `$DOCKER_CONFIG/config.json` or `~/.docker/config.json`;
   * false reads none.
   */
  dockerConfigPath?: string | false;
  /** containers auth files in lookup order, instead of the containers-auth.json(5) search; [] reads none. */
  containersAuthPaths?: readonly string[];
  /** How long one credential helper call may take; default 30 s. */
  helperTimeoutMs?: number;
  /**
   * Whether `credHelpers` and `credsStore` are honoured; default true. With false only
   * `auths` entries are read, for hosts where the configured helpers are not installed.
   */
  credentialHelpers?: boolean;
}

/** A credentials file and the dialect it is written in. */
export interface CredentialFileSource {
  readonly path: string;
  readonly format: AuthFileFormat;
}

/**
 * The credentials `docker login`, `podman login`, `skopeo login` and `oras login` leave
 * behind. Files are searched in the order containers-auth.json(5) gives, which is also what
 * skopeo does: the containers auth files, then Docker's config.json; the first file with an
 * answer for the registry wins. Within a file, docker/cli's precedence applies: a
 * `credHelpers` entry for the registry, else `credsStore`, else the `auths` entry — and a
 * helper, once responsible, is the only answer that file gives (a helper's "not found" does
 * not fall back to `auths`, as in docker/cli's native store).
 *
 * Files are read once and answers remembered for the lifetime of the instance.
 * `~/.dockercfg` (Docker < 1.7) and repository-scoped keys are not read.
 */
export class DockerConfigCredentials implements CredentialProvider {
  readonly sources: readonly CredentialFileSource[];
  private readonly env: Env;
  private readonly helperTimeoutMs: number;
  private readonly useHelpers: boolean;
  private readonly files = new LookupCache<AuthFile | undefined>();
  private readonly answers = new LookupCache<Credential | undefined>();

  constructor(options: DockerConfigCredentialsOptions = {}) {
    this.env = options.env ?? process.env;
    this.helperTimeoutMs = options.helperTimeoutMs ?? DEFAULT_HELPER_TIMEOUT_MS;
    this.useHelpers = options.credentialHelpers ?? true;
    const docker =
      options.dockerConfigPath === false
        ? undefined
        : (options.dockerConfigPath ?? dockerConfigPath(options));
    const containers = options.containersAuthPaths ?? containersAuthPaths(options);
    this.sources = [
      ...containers.map((path) => ({ path, format: 'containers' as const })),
      ...(docker ? [{ path: docker, format: 'docker' as const }] : []),
    ];
  }

  get(registry: string, options: GetCredentialOptions = {}): Promise<Credential | undefined> {
    const name = canonicalRegistry(registry);
    return this.answers.get(name, (signal) => this.resolve(name, signal), options.signal);
  }

  private async resolve(registry: string, signal: AbortSignal): Promise<Credential | undefined> {
    for (const { path, format } of this.sources) {
      const file = await this.files.get(path, (s) => readAuthFile(path, format, { signal: s }), signal);
      const credential = file && (await this.lookup(file, registry, signal));
      if (credential) return credential;
    }
    return undefined;
  }

  private async lookup(
    file: AuthFile,
    registry: string,
    signal: AbortSignal,
  ): Promise<Credential | undefined> {
    const helper = this.useHelpers ? file.helperFor(registry) : undefined;
    if (!helper) return file.credential(registry);
    for (const serverUrl of helperServerUrls(registry)) {
      const credential = await getFromCredentialHelper(helper, serverUrl, {
        env: this.env,
        timeoutMs: this.helperTimeoutMs,
        signal,
        registry,
      });
      if (credential) return credential;
    }
    return undefined;
  }
}
