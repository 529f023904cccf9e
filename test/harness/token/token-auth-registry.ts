import { startDockerRegistry, type DockerRegistry } from '../docker-registry.js';
import { startTokenServer, type StartTokenServerOptions, type TokenServer } from './token-server.js';

export interface TokenAuthRegistry {
  registry: DockerRegistry;
  tokenServer: TokenServer;
  /** Stops both servers. */
  stop(): Promise<void>;
}

/**
 * A docker-registry with `auth: token` and the token service it trusts, on two different
 * origins, as with Docker Hub (registry-1.docker.io and auth.docker.io): clients must follow the
 * Bearer challenge's realm, and tests can check that credentials only ever go to the realm.
 */
export async function startTokenAuthRegistry(
  options: StartTokenServerOptions = {},
): Promise<TokenAuthRegistry> {
  const tokenServer = await startTokenServer(options);
  try {
    const registry = await startDockerRegistry({
      signal: options.signal,
      auth: {
        mode: 'token',
        realm: tokenServer.realm,
        service: tokenServer.service,
        issuer: tokenServer.issuer,
        rootCertBundlePath: tokenServer.certificatePath,
      },
    });
    return {
      registry,
      tokenServer,
      async stop() {
        await Promise.all([registry.stop(), tokenServer.stop()]);
      },
    };
  } catch (error) {
    await tokenServer.stop();
    throw error;
  }
}
