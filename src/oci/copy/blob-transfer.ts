import { Transform, type Readable, type TransformCallback } from 'node:stream';
import {
  type Clock,
  CopyError,
  type Limiter,
  type Logger,
  isAbortError,
  isRetryable,
  isVerifiedFor,
  throwIfAborted,
  vouchFor,
} from '../../kernel/index.js';
import { type BlobFetcher, type Target, isBlobMounter } from '../content/index.js';
import type { Descriptor } from '../manifest/index.js';
import { type RetryPolicy, backoffDelay } from '../remote/retry.js';
import { type BlobLocationHints, MAX_HINTED_MOUNTS } from './blob-hints.js';
import type { BlobOutcome, CopyEvent } from './types.js';

export interface BlobTransferOptions {
  limiter: Limiter;
  retry: RetryPolicy;
  clock: Clock;
  logger: Logger;
  emit: (event: CopyEvent) => void;
  /** Where blobs were seen in earlier runs (mount sources); learns this run's locations. */
  hints?: BlobLocationHints;
}

export interface BlobRequest {
  source: BlobFetcher & { location: Target['location'] };
  destination: Target;
  descriptor: Descriptor;
  force: boolean;
  signal?: AbortSignal;
}

/**
 * Makes blobs present at destinations, at most once per destination repository per run:
 * skip what is there, mount what another repository of the same registry already has
 * (including one being filled right now by this run), and transfer the rest with retries
 * under a shared concurrency bound.
 */
export class BlobCoordinator {
  /** destination repository + digest → the operation that makes the blob present there. */
  private readonly operations = new Map<string, Promise<BlobOutcome>>();
  /** destination registry + digest → repositories of that registry that have (or are getting) it. */
  private readonly holders = new Map<string, Map<string, Promise<BlobOutcome>>>();

  constructor(private readonly options: BlobTransferOptions) {}

  /** The outcome for the first caller per destination; later callers get `exists`. */
  async ensure(request: BlobRequest): Promise<BlobOutcome> {
    const key = `${locationKey(request.destination.location)}|${request.descriptor.digest}`;
    const running = this.operations.get(key);
    if (running) {
      await running;
      return 'exists';
    }
    const operation = this.run(request);
    this.operations.set(key, operation);
    operation.catch(() => this.operations.delete(key));
    return operation;
  }

  private async run(request: BlobRequest): Promise<BlobOutcome> {
    const { destination, descriptor, signal } = request;
    const holders = this.holdersOf(destination, descriptor);
    const candidates = [...holders.entries()];
    const mine = this.perform(request, candidates);
    holders.set(destination.location.repository, mine);
    mine.catch(() => holders.delete(destination.location.repository));
    const outcome = await mine;
    this.learn(request);
    this.options.emit({ type: 'blob-done', digest: descriptor.digest, size: descriptor.size, outcome });
    throwIfAborted(signal);
    return outcome;
  }

  private async perform(
    request: BlobRequest,
    candidates: [string, Promise<BlobOutcome>][],
  ): Promise<BlobOutcome> {
    const { source, destination, descriptor, signal } = request;
    if (!request.force && (await destination.blobExists(descriptor, { signal }))) return 'exists';
    if (isBlobMounter(destination) && destination.location.kind === 'remote') {
      const sameRegistrySource =
        source.location.kind === 'remote' && source.location.registry === destination.location.registry
          ? [
              [source.location.repository, Promise.resolve<BlobOutcome>('exists')] as [
                string,
                Promise<BlobOutcome>,
              ],
            ]
          : [];
      const tried = new Set([destination.location.repository]);
      for (const [repository, holding] of [...candidates, ...sameRegistrySource]) {
        if (tried.has(repository)) continue;
        tried.add(repository);
        const held = await holding.then(
          () => true,
          () => false,
        );
        if (held && (await destination.mountBlob(descriptor, repository, { signal }))) return 'mounted';
      }
      const hinted = (
        (await this.options.hints?.repositoriesHolding(destination.location.registry, descriptor.digest)) ??
        []
      )
        .filter((repository) => !tried.has(repository))
        .slice(0, MAX_HINTED_MOUNTS);
      for (const repository of hinted)
        if (await destination.mountBlob(descriptor, repository, { signal })) return 'mounted';
    }
    await this.options.limiter.run(() => this.transfer(request), signal);
    return 'copied';
  }

  /** Streams source → destination; on a retryable failure of either side, starts over. */
  private async transfer(request: BlobRequest): Promise<void> {
    const { source, destination, descriptor, signal } = request;
    this.options.emit({ type: 'blob-start', digest: descriptor.digest, size: descriptor.size });
    for (let attempt = 1; ; attempt++) {
      let stream: Readable;
      try {
        stream = await source.fetchBlob(descriptor, { signal });
      } catch (error) {
        // Not retried here: a remote source's transport has already retried this request under its own policy.
        throw new CopyError('fetch-blob', 'source', error);
      }
      let sourceError: unknown;
      try {
        stream.once('error', (error) => (sourceError = error));
        const counted = stream.pipe(new ProgressCounter(descriptor, this.options.emit));
        stream.once('error', (error) => counted.destroy(error));
        // The counter forwards the source's verification failures, so it is as verified as its source.
        if (isVerifiedFor(stream, descriptor)) vouchFor(counted, descriptor);
        try {
          await destination.pushBlob(descriptor, counted, { signal });
        } catch (error) {
          throw sourceError
            ? new CopyError('fetch-blob', 'source', sourceError)
            : new CopyError('push-blob', 'destination', error);
        }
        return;
      } catch (error) {
        if (
          isAbortError(error) ||
          signal?.aborted ||
          !isRetryable(error) ||
          attempt >= this.options.retry.attempts
        )
          throw error;
        const message = error instanceof Error ? error.message : String(error);
        this.options.emit({ type: 'blob-retry', digest: descriptor.digest, attempt, error: message });
        this.options.logger.warn(
          { digest: descriptor.digest, attempt, err: message },
          'blob transfer failed; retrying',
        );
        await this.options.clock.sleep(backoffDelay(attempt, this.options.retry), signal);
      }
    }
  }

  /** Tells the hints that the blob is now at the destination (and, for a registry source, there too). */
  private learn({ source, destination, descriptor }: BlobRequest): void {
    const hints = this.options.hints;
    if (!hints) return;
    for (const location of [destination.location, source.location])
      if (location.kind === 'remote')
        hints.remember(location.registry, descriptor.digest, location.repository);
  }

  private holdersOf(destination: Target, descriptor: Descriptor): Map<string, Promise<BlobOutcome>> {
    const key = `${destination.location.kind}|${destination.location.registry}|${descriptor.digest}`;
    let holders = this.holders.get(key);
    if (!holders) {
      holders = new Map();
      this.holders.set(key, holders);
    }
    return holders;
  }
}

export function locationKey(location: Target['location']): string {
  return `${location.kind}|${location.registry}|${location.repository}`;
}

/** Counts bytes on their way to the destination and reports them as progress events. */
class ProgressCounter extends Transform {
  private bytes = 0;

  constructor(
    private readonly descriptor: Descriptor,
    private readonly report: (event: CopyEvent) => void,
  ) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.bytes += chunk.length;
    this.report({
      type: 'blob-progress',
      digest: this.descriptor.digest,
      bytes: this.bytes,
      size: this.descriptor.size,
    });
    callback(null, chunk);
  }
}
