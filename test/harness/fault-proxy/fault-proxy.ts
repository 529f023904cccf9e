import { Agent, createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { AppError } from '../../../src/kernel/index.js';
import { listenOnLoopback } from '../network.js';
import { FaultRules, type FaultAction, type FaultKind, type FaultRule, type RuleMatch } from './faults.js';
import { forward } from './forward.js';

export interface StartFaultProxyOptions {
  /** The registry behind the proxy: `http://host:port` or `host:port`. */
  target: string;
}

/** One request through the proxy, for assertions. */
export interface ProxyRequestRecord {
  method: string;
  /** Path and query as the client sent them. */
  path: string;
  /** Status sent to the client; undefined when the connection was reset before any answer. */
  status?: number;
  /** The fault applied, if a rule matched. */
  fault?: FaultKind;
  /** Lower-case scheme of the client's `Authorization` header; undefined when none was sent. */
  authScheme?: string;
}

export interface FaultProxy {
  /** `http://127.0.0.1:PORT`: use it (or `host`) in place of the registry's. */
  url: string;
  host: string;
  target: string;
  readonly requests: readonly ProxyRequestRecord[];
  /** Adds a rule: `proxy.when({ path: /\/manifests\// }).respond(Fault.status(503))`. */
  when(match: RuleMatch): { respond(action: FaultAction): FaultRule };
  /** Rules that have not been used up, e.g. to assert that every planned fault happened. */
  pendingRules(): FaultRule[];
  clearRules(): void;
  clearRequests(): void;
  stop(): Promise<void>;
}

/**
 * A loopback reverse proxy in front of a real registry that misbehaves when told to: answers
 * 429 or 5xx, resets connections, truncates or corrupts bodies, delays, rewrites headers.
 * Rules are consumed in the order they were added; everything else passes through unchanged,
 * streamed in both directions.
 */
export async function startFaultProxy(options: StartFaultProxyOptions): Promise<FaultProxy> {
  const target = new URL(options.target.includes('://') ? options.target : `http://${options.target}`);
  if (target.protocol !== 'http:') {
    throw new AppError(
      'USAGE_INVALID',
      `fault proxy target ${options.target}: only plain-HTTP loopback registries are supported`,
    );
  }
  const rules = new FaultRules();
  const requests: ProxyRequestRecord[] = [];
  const agent = new Agent({ keepAlive: true });
  let proxyOrigin = '';
  const server = createServer((req, res) => {
    const record: ProxyRequestRecord = {
      method: req.method ?? '',
      path: req.url ?? '',
      authScheme: req.headers.authorization?.split(' ', 1)[0]?.toLowerCase(),
    };
    requests.push(record);
    const rule = rules.take(record.method, record.path);
    if (rule) record.fault = rule.action.kind;
    dispatch(req, res, rule?.action, {
      target,
      proxyOrigin,
      agent,
      onStatus: (status) => (record.status = status),
    });
  });
  const host = await listenOnLoopback(server);
  proxyOrigin = `http://${host}`;
  return {
    url: proxyOrigin,
    host,
    target: target.origin,
    requests,
    when: (match) => ({ respond: (action) => rules.add(match, action) }),
    pendingRules: () => rules.pending(),
    clearRules: () => rules.clear(),
    clearRequests: () => void requests.splice(0),
    stop: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      agent.destroy();
    },
  };
}

type DispatchContext = Parameters<typeof forward>[2];

function dispatch(
  req: IncomingMessage,
  res: ServerResponse,
  action: FaultAction | undefined,
  context: DispatchContext,
): void {
  switch (action?.kind) {
    case 'status': {
      req.resume();
      const length = action.body?.length ?? 0;
      res.writeHead(action.status, { ...action.headers, 'content-length': String(length) });
      res.end(action.body);
      context.onStatus(action.status);
      return;
    }
    case 'reset':
      if (action.afterBytes === undefined) {
        (req.socket as Socket).resetAndDestroy();
        return;
      }
      break;
    case 'delay': {
      const timer = setTimeout(() => {
        if (!res.destroyed) forward(req, res, context);
      }, action.ms);
      res.on('close', () => clearTimeout(timer));
      return;
    }
  }
  forward(req, res, { ...context, action });
}
