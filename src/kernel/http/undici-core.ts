import type * as Undici from 'undici';
import Dispatcher from 'undici/lib/dispatcher/dispatcher.js';
import api from 'undici/lib/api/index.js';
import Pool from 'undici/lib/dispatcher/pool.js';
import Agent from 'undici/lib/dispatcher/agent.js';

/**
 * undici's HTTP/1.1 client — `Pool`, `Agent` and `dispatcher.request` — without the rest
 * of the package. `import 'undici'` evaluates everything it ships (fetch, WebSocket, caches,
 * mocks, proxies: a megabyte of code) at every start of every command; a CLI that copies
 * one image pays that before its first request. These are the same modules the package's
 * entry point loads, so their classes are the very ones `import 'undici'` returns elsewhere,
 * and the request API is attached to `Dispatcher.prototype` exactly as the entry point does.
 * The lockfile pins the version whose layout this names; the transport tests run through it.
 */
Object.assign(Dispatcher.prototype, api);

export { Agent, Dispatcher, Pool };

export type RequestOptions = Omit<Undici.Dispatcher.RequestOptions, 'origin' | 'path' | 'method'> & {
  method?: Undici.Dispatcher.HttpMethod;
  dispatcher?: Undici.Dispatcher;
};

let fallback: Undici.Agent | undefined;

/**
 * `undici.request(url, options)`: one request through `options.dispatcher`, or through a
 * process-wide keep-alive agent when none is given.
 */
export function request(
  url: string | URL,
  options: RequestOptions = {},
): Promise<Undici.Dispatcher.ResponseData> {
  const target = typeof url === 'string' ? new URL(url) : url;
  const { dispatcher, ...rest } = options;
  const via = dispatcher ?? (fallback ??= new Agent());
  return via.request({
    ...rest,
    origin: target.origin,
    path: `${target.pathname}${target.search}`,
    method: options.method ?? 'GET',
  });
}
