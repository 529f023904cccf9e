import { createServer, type AddressInfo, type Server } from 'node:net';
import { request } from 'undici';
import { AppError, sleep, throwIfAborted } from '../../src/kernel/index.js';

/** Every server the harness starts listens here only: tests must never be reachable from outside. */
export const LOOPBACK = '127.0.0.1';

/**
 * A port that was free a moment ago, for servers that cannot listen on port 0 and report the
 * port (docker-registry). Another process may take it before the server binds, so callers
 * retry on EADDRINUSE.
 */
export async function findFreePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, LOOPBACK, resolve);
  });
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Starts a (net or http) server on a random loopback port and returns `host:port`. */
export async function listenOnLoopback(server: Server): Promise<string> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, LOOPBACK, () => {
      server.removeListener('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  return `${LOOPBACK}:${port}`;
}

export interface WaitForHttpOptions {
  signal?: AbortSignal;
  timeoutMs?: number;
  /** Rejects the wait as soon as this settles (the server process exited). */
  abandonWhen?: Promise<unknown>;
}

const POLL_INTERVAL_MS = 50;

/**
 * Resolves once `url` answers with any HTTP status: a registry with auth answers 401, which
 * still proves it is serving. Connection errors are retried until the time-out.
 */
export async function waitForHttp(url: string, options: WaitForHttpOptions = {}): Promise<void> {
  const timeoutMs = options.timeoutMs ?? 15_000;
  const deadline = Date.now() + timeoutMs;
  let abandoned = false;
  void options.abandonWhen?.then(() => (abandoned = true));
  let lastError: unknown;
  while (Date.now() < deadline) {
    throwIfAborted(options.signal);
    if (abandoned) throw new AppError('INTERNAL', `gave up waiting for ${url}: the server exited`);
    try {
      const response = await request(url, {
        signal: options.signal,
        headersTimeout: 2_000,
        bodyTimeout: 2_000,
      });
      await response.body.dump();
      return;
    } catch (error) {
      lastError = error;
    }
    await sleep(POLL_INTERVAL_MS, options.signal);
  }
  throw new AppError('INTERNAL', `${url} did not answer within ${timeoutMs} ms`, { cause: lastError });
}
