import { type Logger, sleep } from '../kernel/index.js';
import type { RegistryEventSink, RegistryNotification } from './events.js';

export interface NotificationEndpoint {
  /** Where events are POSTed, e.g. `http://airlock:8080/api/events/airlock`. */
  url: string;
  /** Environment variable holding the shared secret sent as `Authorization: Bearer …`. */
  secretEnv?: string;
}

export interface HttpNotifier {
  sink: RegistryEventSink;
  /** Sends what is queued (waiting at most `timeoutMs`), then stops. */
  close(timeoutMs?: number): Promise<void>;
}

/** Events waiting per endpoint; beyond this the oldest are dropped, with a warning. */
const MAX_QUEUED = 10_000;
/** Events per POST. */
const BATCH = 50;
const ATTEMPTS = 5;
const REQUEST_TIMEOUT_MS = 10_000;

/**
 * Delivers the registry's events to HTTP endpoints the way CNCF distribution's notifications
 * do: a JSON envelope `{"events": [...]}` POSTed in order, in batches, retried with back-off
 * (1, 2, 4, 8 s) and dropped with an error in the log after five failed attempts. Delivery
 * never slows down or fails a push.
 */
export function httpNotifier(
  endpoints: readonly NotificationEndpoint[],
  options: { env: NodeJS.ProcessEnv; logger: Logger; fetch?: typeof fetch },
): HttpNotifier {
  const queues = endpoints.map((endpoint) => new EndpointQueue(endpoint, options));
  return {
    sink: (event) => {
      for (const queue of queues) queue.push(event);
    },
    close: async (timeoutMs = 5000) => {
      await Promise.all(queues.map((queue) => queue.drain(timeoutMs)));
    },
  };
}

class EndpointQueue {
  private readonly events: RegistryNotification[] = [];
  private sending: Promise<void> | undefined;
  private closed = false;
  private readonly stop = new AbortController();

  constructor(
    private readonly endpoint: NotificationEndpoint,
    private readonly options: { env: NodeJS.ProcessEnv; logger: Logger; fetch?: typeof fetch },
  ) {}

  push(event: RegistryNotification): void {
    if (this.closed) return;
    this.events.push(event);
    if (this.events.length > MAX_QUEUED) {
      this.events.shift();
      this.options.logger.warn(
        { endpoint: this.endpoint.url },
        'notification queue full: oldest event dropped',
      );
    }
    this.sending ??= this.send().finally(() => (this.sending = undefined));
  }

  async drain(timeoutMs: number): Promise<void> {
    this.closed = true;
    const timer = setTimeout(() => this.stop.abort(), timeoutMs);
    try {
      await this.sending;
    } finally {
      clearTimeout(timer);
    }
  }

  private async send(): Promise<void> {
    while (this.events.length > 0 && !this.stop.signal.aborted) {
      const batch = this.events.splice(0, BATCH);
      if (!(await this.deliver(batch))) {
        this.options.logger.error(
          { endpoint: this.endpoint.url, events: batch.length },
          `notifications not delivered after ${ATTEMPTS} attempts: dropped`,
        );
      }
    }
  }

  private async deliver(events: RegistryNotification[]): Promise<boolean> {
    const secret = this.endpoint.secretEnv ? this.options.env[this.endpoint.secretEnv] : undefined;
    for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
      try {
        const response = await (this.options.fetch ?? fetch)(this.endpoint.url, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            ...(secret ? { authorization: `Bearer ${secret}` } : {}),
          },
          body: JSON.stringify({ events }),
          redirect: 'error',
          signal: AbortSignal.any([this.stop.signal, AbortSignal.timeout(REQUEST_TIMEOUT_MS)]),
        });
        await response.arrayBuffer().catch(() => undefined);
        if (response.ok) return true;
        this.options.logger.warn(
          { endpoint: this.endpoint.url, status: response.status, attempt },
          'notification endpoint refused events',
        );
        // A client error other than rate limiting will not pass on retry.
        if (response.status >= 400 && response.status < 500 && response.status !== 429) return false;
      } catch (error) {
        if (this.stop.signal.aborted) return false;
        this.options.logger.warn(
          { endpoint: this.endpoint.url, err: (error as Error).message, attempt },
          'notification endpoint unreachable',
        );
      }
      // An abort (closing) ends the wait; the next request sees it and gives up.
      if (attempt < ATTEMPTS) await sleep(1000 * 2 ** (attempt - 1), this.stop.signal).catch(() => undefined);
    }
    return false;
  }
}
