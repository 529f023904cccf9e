import { Agent, request } from '../../kernel/http/index.js';
import {
  AppError,
  type Clock,
  KeyedMutex,
  type Logger,
  silentLogger,
  systemClock,
} from '../../kernel/index.js';
import {
  type RepositoryName,
  canonicalRegistry,
  isLoopbackRegistry,
  registryEndpoint,
} from '../ref/index.js';
import { RegistryAuth } from './auth/registry-auth.js';
import { TokenCache } from './auth/token-cache.js';
import type { CredentialProvider } from './credentials/index.js';
import type { RateLimitInfo } from './rate-limit.js';
import { RemoteRepository } from './repository.js';
import type { ReferrersCapability } from './repository-context.js';
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from './retry.js';
import { listRepositories, type PageOptions } from './tags.js';
import { DEFAULT_TIMEOUTS, RegistryTransport, type TransportTimeouts } from './transport.js';

export type ReferrersMode = 'auto' | 'api' | 'tag-schema';

export interface RegistrySessionOptions {
  /** Where credentials come from; anonymous when absent. */
  credentials?: CredentialProvider;
  /**
   * Registries (canonical `host[:port]`) that may be reached over plain HTTP or with an
   * unverified TLS certificate. Loopback registries need no entry.
   */
  insecure?: string[];
  retry?: Partial<RetryPolicy>;
  /** Connections per registry and direction (fetch, push). Default 8. */
  connectionsPerRegistry?: number;
  timeouts?: Partial<TransportTimeouts>;
  userAgent?: string;
  /** Default 4 MiB, the size registries themselves accept. */
  maxManifestBytes?: number;
  /** Chunk size for blob uploads; monolithic uploads when unset. */
  uploadChunkSize?: number;
  /** Per-registry override of Referrers API detection. */
  referrers?: Record<string, ReferrersMode>;
  clock?: Clock;
  logger?: Logger;
  onRateLimit?: (registry: string, info: RateLimitInfo) => void;
}

/** 4 MiB: the manifest size limit of CNCF distribution and most registries. */
export const DEFAULT_MAX_MANIFEST_BYTES = 4 * 1024 * 1024;
/** Eight connections each way per registry: enough to fill a gigabit link, polite to public registries. */
export const DEFAULT_CONNECTIONS = 8;
const USER_AGENT = 'airlock/0.1';

/**
 * Everything shared by the operations of one run against many registries and
 * repositories: connection pools, tokens, the scheme each registry speaks, and what each
 * registry supports (the Referrers API). Create one per process or per run; close it at the end.
 */
export class RegistrySession {
  private readonly transports = new Map<string, Promise<RegistryTransport>>();
  private readonly referrerSupport = new Map<string, boolean>();
  private readonly tokens: TokenCache;
  private readonly sharedAgent: Agent;
  private insecureAgent: Agent | undefined;
  private readonly clock: Clock;
  private readonly logger: Logger;
  private readonly insecure: Set<string>;
  private readonly updates = new KeyedMutex();

  constructor(private readonly options: RegistrySessionOptions = {}) {
    this.clock = options.clock ?? systemClock;
    this.logger = options.logger ?? silentLogger;
    this.tokens = new TokenCache(this.clock);
    this.insecure = new Set((options.insecure ?? []).map(canonicalRegistry));
    const timeouts = { ...DEFAULT_TIMEOUTS, ...options.timeouts };
    this.sharedAgent = new Agent({
      connectTimeout: timeouts.connectMs,
      headersTimeout: timeouts.headersMs,
      bodyTimeout: timeouts.bodyIdleMs,
      keepAliveTimeout: 30_000,
    });
    for (const [registry, mode] of Object.entries(options.referrers ?? {})) {
      if (mode !== 'auto') this.referrerSupport.set(canonicalRegistry(registry), mode === 'api');
    }
  }

  /** A repository of a registry as a copy source or destination. */
  async repository(name: RepositoryName): Promise<RemoteRepository> {
    const registry = canonicalRegistry(name.registry);
    const transport = await this.transport(registry);
    return new RemoteRepository({
      transport,
      registry,
      repository: name.repository,
      logger: this.logger,
      maxManifestBytes: this.options.maxManifestBytes ?? DEFAULT_MAX_MANIFEST_BYTES,
      uploadChunkSize: this.options.uploadChunkSize,
      referrersApi: this.referrersCapability(registry),
      updates: this.updates,
    });
  }

  /** Repositories of a registry (`/v2/_catalog`). */
  async *listRepositories(registry: string, options: PageOptions = {}): AsyncIterable<string> {
    yield* listRepositories(await this.transport(canonicalRegistry(registry)), options);
  }

  /** The latest Docker Hub-style quota a registry reported, if any. */
  async rateLimit(registry: string): Promise<RateLimitInfo | undefined> {
    const transport = this.transports.get(canonicalRegistry(registry));
    return transport ? (await transport).rateLimit : undefined;
  }

  /** Every Docker Hub-style quota a registry reported in this session, by registry. */
  async rateLimits(): Promise<Map<string, RateLimitInfo>> {
    const out = new Map<string, RateLimitInfo>();
    for (const [registry, pending] of this.transports) {
      const info = await pending.then(
        (t) => t.rateLimit,
        () => undefined,
      );
      if (info) out.set(registry, info);
    }
    return out;
  }

  /** Whether the registry was seen to support the Referrers API (undefined: not yet known). */
  referrersApiSupported(registry: string): boolean | undefined {
    return this.referrerSupport.get(canonicalRegistry(registry));
  }

  /** Checks that the registry answers and that our credentials (if any) are accepted: `GET /v2/`. */
  async ping(registry: string, signal?: AbortSignal): Promise<void> {
    const transport = await this.transport(canonicalRegistry(registry));
    await transport.sendAndDiscard({
      method: 'GET',
      path: '/v2/',
      scopes: [],
      context: { registry },
      signal,
    });
  }

  async close(): Promise<void> {
    const transports = await Promise.allSettled(this.transports.values());
    await Promise.all(transports.map((t) => (t.status === 'fulfilled' ? t.value.close() : undefined)));
    await Promise.all([this.sharedAgent.close(), this.insecureAgent?.close()]);
  }

  private transport(registry: string): Promise<RegistryTransport> {
    let transport = this.transports.get(registry);
    if (!transport) {
      transport = this.createTransport(registry);
      transport.catch(() => this.transports.delete(registry));
      this.transports.set(registry, transport);
    }
    return transport;
  }

  private async createTransport(registry: string): Promise<RegistryTransport> {
    const endpoint = registryEndpoint(registry);
    const relaxed = this.isRelaxed(registry);
    const origin = relaxed
      ? await this.probeScheme(endpoint, isLoopbackRegistry(registry))
      : `https://${endpoint}`;
    const auth = new RegistryAuth({
      registry,
      credentials: this.options.credentials ?? { get: async () => undefined },
      tokens: this.tokens,
      dispatcher: this.sharedAgent,
      ownHost: this.insecure.has(registry)
        ? { host: new URL(origin).host, dispatcher: this.unverifiedAgent() }
        : undefined,
      userAgent: this.options.userAgent ?? USER_AGENT,
      clock: this.clock,
      logger: this.logger,
      isInsecureAllowed: (url) =>
        isLoopbackRegistry(url.host) || this.insecure.has(canonicalRegistry(url.host)),
    });
    return new RegistryTransport({
      registry,
      origin,
      auth,
      redirectDispatcher: this.sharedAgent,
      retry: { ...DEFAULT_RETRY_POLICY, ...this.options.retry },
      connections: this.options.connectionsPerRegistry ?? DEFAULT_CONNECTIONS,
      timeouts: { ...DEFAULT_TIMEOUTS, ...this.options.timeouts },
      insecureTls: this.insecure.has(registry),
      userAgent: this.options.userAgent ?? USER_AGENT,
      clock: this.clock,
      logger: this.logger,
      onRateLimit: (info) => this.options.onRateLimit?.(registry, info),
    });
  }

  /** One agent that skips certificate checks: the HTTPS probe, and token realms of registries marked insecure. */
  private unverifiedAgent(): Agent {
    this.insecureAgent ??= new Agent({
      connect: { rejectUnauthorized: false },
      keepAliveTimeout: 30_000,
    });
    return this.insecureAgent;
  }

  private isRelaxed(registry: string): boolean {
    return isLoopbackRegistry(registry) || this.insecure.has(registry);
  }

  /**
   * For loopback and insecure registries, as Docker does: HTTPS when the registry speaks
   * it (certificate unchecked for insecure ones), plain HTTP otherwise.
   */
  private async probeScheme(endpoint: string, loopback: boolean): Promise<string> {
    // On loopback, where a registry is nearly always plain HTTP (a test or a local mirror),
    // plain HTTP is asked first: a TLS server answers it with 400 or drops it, and then
    // HTTPS is tried as usual. Nothing secret is sent by either probe.
    if (loopback && (await this.answersPlainHttp(endpoint))) return `http://${endpoint}`;
    const https = `https://${endpoint}`;
    try {
      const response = await request(`${https}/v2/`, {
        method: 'GET',
        // Whether it speaks TLS at all; its certificate is checked by the transport (unless insecure).
        dispatcher: this.unverifiedAgent(),
        signal: AbortSignal.timeout(10_000),
      });
      await response.body.dump();
      return https;
    } catch (error) {
      const code = (error as { code?: string }).code;
      if (code === 'ECONNREFUSED' || code === 'ENOTFOUND') {
        throw new AppError(
          'OCI_REGISTRY_UNREACHABLE',
          `registry ${endpoint} is unreachable: ${(error as Error).message}`,
          {
            cause: error,
            details: { registry: endpoint },
            retryable: true,
          },
        );
      }
      return `http://${endpoint}`;
    }
  }

  /**
   * Whether `GET http://endpoint/v2/` gets the answer a plain-HTTP registry gives (200, or 401
   * asking for credentials). Anything else — a TLS server's 400, a redirect to HTTPS, a
   * dropped connection — leaves the choice to the HTTPS probe.
   */
  private async answersPlainHttp(endpoint: string): Promise<boolean> {
    try {
      const response = await request(`http://${endpoint}/v2/`, {
        method: 'GET',
        dispatcher: this.sharedAgent,
        signal: AbortSignal.timeout(10_000),
      });
      await response.body.dump();
      return response.statusCode === 200 || response.statusCode === 401;
    } catch {
      return false;
    }
  }

  private referrersCapability(registry: string): ReferrersCapability {
    return {
      get: () => this.referrerSupport.get(registry),
      set: (supported) => {
        if (this.options.referrers?.[registry] === undefined || this.options.referrers[registry] === 'auto') {
          this.referrerSupport.set(registry, supported);
        }
      },
    };
  }
}
