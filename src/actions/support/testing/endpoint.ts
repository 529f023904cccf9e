import { type IncomingHttpHeaders, type ServerResponse, createServer } from 'node:http';
import type { Server } from 'node:net';
import { listenOnLoopback } from '../../../../test/harness/index.js';

/** One request the endpoint received. */
export interface ReceivedRequest {
  method: string;
  /** Path and query. */
  path: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

export type Responder = (request: ReceivedRequest, response: ServerResponse) => void | Promise<void>;

export interface TestEndpoint {
  /** `http://127.0.0.1:PORT` */
  url: string;
  host: string;
  requests: ReceivedRequest[];
  /** Answers the next requests with these responders, in order; afterwards 200 `{}`. */
  script(...responders: Responder[]): void;
  stop(): Promise<void>;
}

/** A loopback HTTP server for the webhook and http actions: records requests, answers as scripted. */
export async function startTestEndpoint(): Promise<TestEndpoint> {
  const requests: ReceivedRequest[] = [];
  const queue: Responder[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const received: ReceivedRequest = {
        method: req.method ?? '',
        path: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks),
      };
      requests.push(received);
      const responder = queue.shift() ?? json(200, {});
      void Promise.resolve(responder(received, res)).catch(() => res.destroy());
    });
  });
  const host = await listenOnLoopback(server as unknown as Server);
  return {
    url: `http://${host}`,
    host,
    requests,
    script: (...responders) => void queue.push(...responders),
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Answers with a status and a JSON (or, for a string, plain text) body. */
export function json(status: number, body: unknown, headers: Record<string, string> = {}): Responder {
  return (_request, response) => {
    const text = typeof body === 'string' ? body : JSON.stringify(body);
    const type = typeof body === 'string' ? 'text/plain' : 'application/json';
    response.writeHead(status, { 'content-type': type, ...headers });
    response.end(text);
  };
}
