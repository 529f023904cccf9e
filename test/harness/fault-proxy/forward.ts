import {
  request as httpRequest,
  type Agent,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type OutgoingHttpHeaders,
  type ServerResponse,
} from 'node:http';
import type { Socket } from 'node:net';
import type { FaultAction } from './faults.js';

/** Hop-by-hop headers (RFC 9110 §7.6.1) and `expect`, which node:http already answered. */
const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'proxy-authenticate',
  'proxy-authorization',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'expect',
]);

export interface ForwardContext {
  target: URL;
  /** The proxy's own origin, which `Location` headers are rewritten to. */
  proxyOrigin: string;
  agent: Agent;
  /** A fault that acts on the registry's answer, if any. */
  action?: FaultAction;
  /** Called with the status once the response head is sent to the client. */
  onStatus(status: number): void;
}

/**
 * Forwards one request to the registry and streams the answer back, both directions without
 * buffering. `Location` headers that point at the registry are rewritten to the proxy, so that
 * a blob upload's follow-up requests come through the proxy too.
 */
export function forward(req: IncomingMessage, res: ServerResponse, context: ForwardContext): void {
  const upstream = httpRequest({
    protocol: context.target.protocol,
    hostname: context.target.hostname,
    port: context.target.port,
    method: req.method,
    path: req.url,
    headers: { ...withoutHopByHop(req.headers), host: context.target.host },
    agent: context.agent,
  });
  upstream.on('response', (answer) => respond(req, res, answer, context));
  upstream.on('error', () => {
    if (!res.headersSent) {
      res.writeHead(502, { 'content-type': 'text/plain' }).end('fault proxy: registry unreachable');
      context.onStatus(502);
    } else {
      res.destroy();
    }
  });
  res.on('close', () => {
    if (!res.writableFinished) upstream.destroy();
  });
  req.pipe(upstream);
}

function respond(
  req: IncomingMessage,
  res: ServerResponse,
  answer: IncomingMessage,
  context: ForwardContext,
): void {
  const headers: OutgoingHttpHeaders = withoutHopByHop(answer.headers);
  const location = headers.location;
  if (typeof location === 'string' && location.startsWith(context.target.origin)) {
    headers.location = context.proxyOrigin + location.slice(context.target.origin.length);
  }
  const action = context.action;
  if (action?.kind === 'rewrite-header') {
    if (action.value === null) delete headers[action.name];
    else headers[action.name] = action.value;
  }
  res.writeHead(answer.statusCode ?? 502, answer.statusMessage, headers);
  context.onStatus(answer.statusCode ?? 502);
  if (action?.kind === 'reset' || action?.kind === 'truncate') {
    cutBody(req, res, answer, action.afterBytes ?? 0, action.kind);
  } else if (action?.kind === 'corrupt') {
    const length = Number(answer.headers['content-length']);
    flipByte(res, answer, action.atByte ?? (Number.isFinite(length) ? Math.floor(length / 2) : 0));
  } else {
    answer.pipe(res);
  }
}

/** Passes `limit` body bytes, then resets (RST) or cleanly closes (FIN) the client connection. */
function cutBody(
  req: IncomingMessage,
  res: ServerResponse,
  answer: IncomingMessage,
  limit: number,
  how: 'reset' | 'truncate',
): void {
  let sent = 0;
  const cut = (): void => {
    answer.destroy();
    const socket = req.socket as Socket;
    if (how === 'reset') socket.resetAndDestroy();
    else socket.end();
  };
  if (limit === 0) {
    // Let the head reach the client first, so that it sees headers and then an early end.
    res.flushHeaders();
    setImmediate(cut);
    return;
  }
  answer.on('data', (chunk: Buffer) => {
    const room = limit - sent;
    if (room <= 0) return;
    const part = chunk.subarray(0, room);
    sent += part.length;
    if (sent >= limit) res.write(part, cut);
    else writeWithBackpressure(res, answer, part);
  });
  answer.on('end', () => {
    if (sent < limit) res.end();
  });
}

/** Streams the body with every bit of the byte at `offset` flipped. */
function flipByte(res: ServerResponse, answer: IncomingMessage, offset: number): void {
  let position = 0;
  answer.on('data', (chunk: Buffer) => {
    if (offset >= position && offset < position + chunk.length) {
      const copy = Buffer.from(chunk);
      copy[offset - position] = copy[offset - position]! ^ 0xff;
      chunk = copy;
    }
    position += chunk.length;
    writeWithBackpressure(res, answer, chunk);
  });
  answer.on('end', () => res.end());
}

function writeWithBackpressure(res: ServerResponse, answer: IncomingMessage, chunk: Buffer): void {
  if (!res.write(chunk)) {
    answer.pause();
    res.once('drain', () => answer.resume());
  }
}

function withoutHopByHop(headers: IncomingHttpHeaders): OutgoingHttpHeaders {
  const out: OutgoingHttpHeaders = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined && !HOP_BY_HOP.has(name)) out[name] = value;
  }
  return out;
}
