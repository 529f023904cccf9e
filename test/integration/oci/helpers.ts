import { createServer as createHttpServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { connect, createServer as createNetServer, type AddressInfo, type Socket } from 'node:net';
import { networkInterfaces } from 'node:os';
import { request } from 'undici';
import { expect } from 'vitest';
import { AppError } from '../../../src/kernel/index.js';
import { type Credential, StaticCredentials } from '../../../src/oci/remote/credentials/index.js';
import { RegistrySession, type RegistrySessionOptions } from '../../../src/oci/remote/index.js';
import { type ImageFixture, makeImage, makeLayer } from '../../fixtures/index.js';
import { listenOnLoopback } from '../../harness/index.js';
import type { FaultProxy, ProxyRequestRecord } from '../../harness/index.js';

/** Back-off short enough that retries cost milliseconds; the tests assert on attempts, not on waits. */
export const FAST_RETRY = { initialDelayMs: 10, maxDelayMs: 50 } as const;

/** A session whose back-off is negligible; `retry` entries given here win. */
export function fastSession(options: RegistrySessionOptions = {}): RegistrySession {
  return new RegistrySession({ ...options, retry: { ...FAST_RETRY, ...options.retry } });
}

export function credentialsFor(host: string, credential: Credential): StaticCredentials {
  return new StaticCredentials({ [host]: credential });
}

/** A single-platform image of `layers` small random layers; the seed also labels the config. */
export async function imageOf(seed: string, layers: number, size = 2_000): Promise<ImageFixture> {
  const built = await Promise.all(
    Array.from({ length: layers }, (_, i) => makeLayer({ seed: `${seed}-${i}`, size })),
  );
  return makeImage({ layers: built, runtimeConfig: { Labels: { seed } } });
}

/** Config plus layers. */
export function blobCount(fixture: ImageFixture): number {
  return fixture.root.image.layers.length + 1;
}

export function manifestPath(repository: string, fixture: ImageFixture): string {
  return `/v2/${repository}/manifests/${fixture.root.descriptor.digest}`;
}

/** The error a promise rejects with; fails the test when it resolves. */
export async function rejectionOf(promise: Promise<unknown>): Promise<AppError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(AppError);
    return error as AppError;
  }
  throw new Error('expected the operation to fail, and it succeeded');
}

/** What a registry answers when asked directly (not through the client under test). */
export async function registryStatus(
  url: string,
  method: 'HEAD' | 'GET',
  path: string,
  authorization?: string,
): Promise<{ status: number; body: Buffer; headers: Record<string, string | string[] | undefined> }> {
  const headers: Record<string, string> = {
    accept: 'application/vnd.oci.image.manifest.v1+json, application/vnd.oci.image.index.v1+json',
  };
  if (authorization) headers.authorization = authorization;
  const response = await request(`${url}${path}`, { method, headers });
  const body = Buffer.from(await response.body.arrayBuffer());
  return { status: response.statusCode, body, headers: response.headers };
}

export function basicAuthorization(username: string, password: string): string {
  return `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
}

/** One request to {@link BlobStorage}. */
export interface StorageRequestRecord {
  method: string;
  path: string;
  /** Whether the request carried an `Authorization` header at all. */
  authorization: boolean;
}

/**
 * A stand-in for the object storage (S3, a CDN) that registries redirect blob downloads to:
 * serves bytes by digest under `/blobs/<digest>` on its own loopback origin and records who
 * asked with which headers. Real registries redirect like this; the test registry does not.
 */
export interface BlobStorage {
  url: string;
  readonly requests: readonly StorageRequestRecord[];
  /** A pre-signed-looking URL for one blob. */
  urlOf(digest: string): string;
  stop(): Promise<void>;
}

export async function startBlobStorage(blobs: ReadonlyMap<string, Uint8Array>): Promise<BlobStorage> {
  const requests: StorageRequestRecord[] = [];
  const server = createHttpServer((req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://storage.invalid');
    requests.push({
      method: req.method ?? '',
      path: url.pathname,
      authorization: req.headers.authorization !== undefined,
    });
    const bytes = blobs.get(decodeURIComponent(url.pathname.replace(/^\/blobs\//, '')));
    if (!bytes || url.searchParams.get('signature') !== 'test') {
      res.writeHead(404, { 'content-length': '0' }).end();
      return;
    }
    res.writeHead(200, {
      'content-type': 'application/octet-stream',
      'content-length': String(bytes.length),
    });
    res.end(req.method === 'HEAD' ? undefined : Buffer.from(bytes));
  });
  const host = await listenOnLoopback(server);
  const url = `http://${host}`;
  return {
    url,
    requests,
    urlOf: (digest) => `${url}/blobs/${digest}?signature=test`,
    stop: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** The machine's first non-loopback IPv4 address, if it has one. */
export function nonLoopbackAddress(): string | undefined {
  for (const addresses of Object.values(networkInterfaces())) {
    for (const address of addresses ?? []) {
      if (address.family === 'IPv4' && !address.internal) return address.address;
    }
  }
  return undefined;
}

export interface TcpForwarder {
  /** `address:port` the forwarder listens on. */
  host: string;
  stop(): Promise<void>;
}

/**
 * Forwards TCP connections from `address` (a non-loopback address of this machine) to a
 * loopback server, so that a loopback test server can be reached under a name the client
 * does not treat as loopback. Connections from other machines are dropped.
 */
export async function startTcpForwarder(address: string, target: string): Promise<TcpForwarder> {
  const [targetHost, targetPort] = splitHost(target);
  const sockets = new Set<Socket>();
  const server = createNetServer((client) => {
    // Listening beyond loopback, so only this machine (connecting to its own address) may come in.
    if (client.remoteAddress !== address) {
      client.destroy();
      return;
    }
    const upstream = connect(targetPort, targetHost);
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
      socket.on('error', () => {
        client.destroy();
        upstream.destroy();
      });
    }
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, address, resolve);
  });
  const { port } = server.address() as AddressInfo;
  return {
    host: `${address}:${port}`,
    stop: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function splitHost(host: string): [string, number] {
  const colon = host.lastIndexOf(':');
  return [host.slice(0, colon), Number(host.slice(colon + 1))];
}

/** Whether a proxied request is the client's plain-HTTP probe of a loopback registry (unauthenticated `GET /v2/`). */
export function isSchemeProbe(record: ProxyRequestRecord): boolean {
  return record.method === 'GET' && record.path === '/v2/' && record.authScheme === undefined;
}

/** The requests a test reasons about: everything through the proxy but the scheme probes. */
export function exchanges(proxy: FaultProxy): ProxyRequestRecord[] {
  return proxy.requests.filter((record) => !isSchemeProbe(record));
}
