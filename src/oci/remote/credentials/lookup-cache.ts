import { abortedError } from '../../../kernel/index.js';

interface Flight<V> {
  readonly promise: Promise<V>;
  readonly controller: AbortController;
  waiters: number;
  settled: boolean;
}

/**
 * Remembers successful lookups for the owner's lifetime and shares lookups in flight, so
 * that a burst of requests for one registry reads a file or runs a helper once. Each caller
 * waits under its own signal; the shared lookup is cancelled only when every caller has
 * gone. Failures are not remembered: the next call tries again (a keychain may have been
 * unlocked, a file fixed).
 */
export class LookupCache<V> {
  private readonly values = new Map<string, V>();
  private readonly flights = new Map<string, Flight<V>>();

  get(key: string, lookup: (signal: AbortSignal) => Promise<V>, signal?: AbortSignal): Promise<V> {
    if (signal?.aborted) return Promise.reject(abortedError(signal));
    if (this.values.has(key)) return Promise.resolve(this.values.get(key) as V);
    const flight = this.flights.get(key) ?? this.start(key, lookup);
    return this.wait(key, flight, signal);
  }

  private start(key: string, lookup: (signal: AbortSignal) => Promise<V>): Flight<V> {
    const controller = new AbortController();
    const promise = new Promise<V>((resolve) => resolve(lookup(controller.signal))).then(
      (value) => {
        flight.settled = true;
        if (this.flights.get(key) === flight) {
          this.flights.delete(key);
          this.values.set(key, value);
        }
        return value;
      },
      (error: unknown) => {
        flight.settled = true;
        if (this.flights.get(key) === flight) this.flights.delete(key);
        throw error;
      },
    );
    // Nobody may be waiting any more when it fails (every caller aborted).
    promise.catch(() => {});
    const flight: Flight<V> = { promise, controller, waiters: 0, settled: false };
    this.flights.set(key, flight);
    return flight;
  }

  private wait(key: string, flight: Flight<V>, signal: AbortSignal | undefined): Promise<V> {
    flight.waiters++;
    return new Promise<V>((resolve, reject) => {
      let left = false;
      const onAbort = () => {
        if (left) return;
        left = true;
        flight.waiters--;
        if (flight.waiters === 0 && !flight.settled) {
          this.flights.delete(key);
          flight.controller.abort(abortedError(signal));
        }
        reject(abortedError(signal));
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      const done = () => {
        if (left) return;
        left = true;
        signal?.removeEventListener('abort', onAbort);
        flight.waiters--;
      };
      flight.promise.then(
        (value) => (done(), resolve(value)),
        (error: unknown) => (done(), reject(error)),
      );
    });
  }
}
