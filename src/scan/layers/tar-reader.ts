import { Writable } from 'node:stream';
import { ChunkChannel } from './chunk-channel.js';
import { LayerFormatError } from './layer-errors.js';
import type { LayerMeter } from './layer-meter.js';
import {
  BLOCK_SIZE,
  decodeHeader,
  decodeLongName,
  decodePax,
  hasBody,
  isMetadata,
  isZeroBlock,
  type PaxFields,
  type RawHeader,
  type TarHeader,
} from './tar-header.js';

/** Reads an entry's body (an empty iterable when it has none) and settles when done with the entry. */
export type BodyReader = (body: AsyncIterable<Buffer>) => Promise<void>;

/**
 * Called for every entry in archive order. Returning undefined means "not wanted": the body is
 * skipped by arithmetic, nothing allocated for it. A {@link BodyReader} is given the body, fed
 * with backpressure, and the reader waits for it to settle before the next entry, so that a
 * hard link always finds its target's capture complete.
 */
export type TarEntryHandler = (header: TarHeader) => BodyReader | undefined;

/**
 * PAX records and GNU long names are held in memory; real ones are a few hundred bytes, and
 * no path or link target may be longer than this anyway.
 */
const MAX_METADATA_BYTES = 1024 * 1024;

/**
 * A layer already in memory is parsed in one chain of callbacks that would starve timers and
 * I/O (an abort from `AbortSignal.timeout`, an HTTP server sharing the process); yielding to
 * the event loop every few MiB costs nothing measurable.
 */
const YIELD_EVERY_BYTES = 8 * 1024 * 1024;

type State = 'header' | 'sparse' | 'metadata' | 'body' | 'padding' | 'eof';

const EMPTY_BODY: AsyncIterable<Buffer> = {
  [Symbol.asyncIterator]: () => ({ next: () => Promise.resolve({ value: undefined, done: true }) }),
};

export interface TarSinkOptions {
  /** Counts the bytes written; throws when a limit is passed. */
  meter: LayerMeter;
  /** Which of `meter`'s counters the sink feeds: an uncompressed layer's input is its output. */
  count: 'output' | 'input-and-output' | 'none';
}

/**
 * A writable end for a layer's decompressed bytes that reads them as a tar archive and hands
 * entries to `onEntry`. A streaming reader of its own rather than a general-purpose one: bodies
 * nobody wants are skipped by arithmetic, never copied or wrapped in a stream, which keeps the
 * scan's cost close to that of decompression alone.
 *
 * Semantics follow Go's archive/tar, which containerd and Docker extract layers with: PAX
 * `path`/`linkpath`/`size` and GNU long names apply to the next entry, global PAX headers
 * are ignored (as Docker ignores them), links, directories and devices have no body whatever
 * their size field says, two zero blocks end the archive. What follows the end is read and
 * discarded, so that the blob is still verified to its last byte by its store.
 */
export function createTarSink(onEntry: TarEntryHandler, options: TarSinkOptions): Writable {
  const reader = new TarReader(onEntry);
  const { meter, count } = options;
  let sinceYield = 0;
  return new Writable({
    write(chunk: Buffer, _encoding, callback) {
      let wait: Promise<void> | undefined;
      try {
        if (count === 'input-and-output') meter.input(chunk.length);
        if (count !== 'none') meter.output(chunk.length);
        wait = reader.write(chunk);
      } catch (error) {
        callback(error as Error);
        return;
      }
      sinceYield += chunk.length;
      const done = sinceYield >= YIELD_EVERY_BYTES ? () => setImmediate(callback) : callback;
      if (sinceYield >= YIELD_EVERY_BYTES) sinceYield = 0;
      if (wait === undefined) done();
      else
        wait.then(
          () => done(),
          (error: Error) => callback(error),
        );
    },
    final(callback) {
      try {
        reader.end();
        callback();
      } catch (error) {
        callback(error as Error);
      }
    },
    destroy(error, callback) {
      void reader.abandon(error).then(() => callback(error));
    },
  });
}

class TarReader {
  private state: State = 'header';
  /** Position in the chunk being written. */
  private cursor = 0;
  private readonly block = Buffer.alloc(BLOCK_SIZE);
  private blockFill = 0;
  /** Body, metadata or padding bytes left in the current state. */
  private remaining = 0;
  private padding = 0;
  private zeroBlocks = 0;
  private pending: RawHeader | undefined;
  /** Body size of the entry being read (its PAX size when it has one). */
  private bodySize = 0;
  private metadata: Buffer[] = [];
  private longName: string | undefined;
  private longLink: string | undefined;
  private pax: PaxFields | undefined;
  private body: ChunkChannel | undefined;
  private handled: Promise<void> | undefined;

  constructor(private readonly onEntry: TarEntryHandler) {}

  /**
   * Consumes a chunk. Synchronous (undefined) unless a captured entry makes it wait, so that
   * chunks nobody wants leave the reader as fast as they came.
   */
  write(chunk: Buffer): Promise<void> | undefined {
    this.cursor = 0;
    return this.resume(chunk);
  }

  private resume(chunk: Buffer): Promise<void> | undefined {
    while (this.cursor < chunk.length) {
      const wait = this.step(chunk);
      if (wait !== undefined) return wait.then(() => this.resume(chunk));
    }
    return undefined;
  }

  private step(chunk: Buffer): Promise<void> | undefined {
    const available = chunk.length - this.cursor;
    switch (this.state) {
      case 'body': {
        const length = Math.min(this.remaining, available);
        const wait = this.body?.offer(chunk.subarray(this.cursor, this.cursor + length));
        this.cursor += length;
        this.remaining -= length;
        if (this.remaining > 0) return wait;
        return wait === undefined ? this.finishEntry() : wait.then(() => this.finishEntry());
      }
      case 'eof':
        this.cursor = chunk.length;
        return undefined;
      case 'padding': {
        const length = Math.min(this.remaining, available);
        this.cursor += length;
        this.remaining -= length;
        if (this.remaining === 0) this.state = 'header';
        return undefined;
      }
      case 'metadata': {
        const length = Math.min(this.remaining, available);
        this.metadata.push(chunk.subarray(this.cursor, this.cursor + length));
        this.cursor += length;
        this.remaining -= length;
        if (this.remaining === 0) this.finishMetadata();
        return undefined;
      }
      case 'header':
      case 'sparse': {
        const length = Math.min(BLOCK_SIZE - this.blockFill, available);
        chunk.copy(this.block, this.blockFill, this.cursor, this.cursor + length);
        this.blockFill += length;
        this.cursor += length;
        if (this.blockFill < BLOCK_SIZE) return undefined;
        this.blockFill = 0;
        if (this.state === 'header') return this.header();
        // Old GNU sparse headers are followed by extension blocks until one says it is the last.
        return this.block[504] === 0 ? this.beginBody() : undefined;
      }
    }
  }

  /** The input ended: anywhere but between entries means it was cut short. */
  end(): void {
    if (this.state === 'eof') return;
    if (this.state === 'header' && this.blockFill === 0) return;
    throw new LayerFormatError('tar data is corrupt: the archive ends in the middle of an entry');
  }

  /** Fails the entry being read, if any, and waits for its handler to let go. */
  async abandon(error: unknown): Promise<void> {
    this.body?.fail(error ?? new LayerFormatError('tar data ended while an entry was being read'));
    await this.handled?.catch(() => undefined);
  }

  private header(): Promise<void> | undefined {
    if (isZeroBlock(this.block)) {
      if (++this.zeroBlocks === 2) this.state = 'eof';
      return undefined;
    }
    if (this.zeroBlocks > 0)
      throw new LayerFormatError('tar data is corrupt: a zero block in the middle of the archive');
    const raw = decodeHeader(this.block);
    if (isMetadata(raw.flag)) {
      if (raw.dataSize > MAX_METADATA_BYTES) {
        throw new LayerFormatError(`tar data is corrupt: a ${raw.flag} header of ${raw.dataSize} bytes`);
      }
      this.pending = raw;
      this.metadata = [];
      this.beginData('metadata', raw.dataSize);
      if (raw.dataSize === 0) this.finishMetadata();
      return undefined;
    }
    const header = this.applyExtensions(raw);
    this.bodySize = header.size;
    this.announce(header);
    if (!raw.sparseExtended) return this.beginBody();
    this.state = 'sparse';
    return undefined;
  }

  private beginBody(): Promise<void> | undefined {
    this.beginData('body', this.bodySize);
    return this.bodySize === 0 ? this.finishEntry() : undefined;
  }

  private applyExtensions(raw: RawHeader): TarHeader {
    const sparse = this.pax?.sparse;
    const header: TarHeader = {
      name: sparse?.name ?? this.pax?.path ?? this.longName ?? raw.name,
      linkname: this.pax?.linkpath ?? this.longLink ?? raw.linkname,
      // Its body is a sparse map and the stored data, not the file's bytes: not one to capture.
      type: sparse !== undefined && raw.type === 'file' ? 'other' : raw.type,
      mode: raw.mode,
      size: hasBody(raw.flag) && this.pax?.size !== undefined ? this.pax.size : raw.size,
    };
    this.pax = undefined;
    this.longName = undefined;
    this.longLink = undefined;
    return header;
  }

  private announce(header: TarHeader): void {
    const read = this.onEntry(header);
    if (read === undefined) return;
    const body = header.size > 0 ? new ChunkChannel() : undefined;
    const handled = read(body ?? EMPTY_BODY);
    this.body = body;
    // A reader that settles without consuming the whole body (or any of it) must not stall the archive.
    this.handled = body === undefined ? handled : handled.finally(() => body.detach());
    // Its failure is awaited at the end of the entry; until then it must not count as unhandled.
    this.handled.catch(() => undefined);
  }

  private beginData(state: 'body' | 'metadata', size: number): void {
    this.state = state;
    this.remaining = size;
    this.padding = (BLOCK_SIZE - (size % BLOCK_SIZE)) % BLOCK_SIZE;
  }

  /** Ends the entry's body; the handler's promise, if any, is what the reader waits for. */
  private finishEntry(): Promise<void> | undefined {
    const handled = this.handled;
    this.body?.end();
    this.body = undefined;
    this.handled = undefined;
    this.toPadding();
    return handled;
  }

  private finishMetadata(): void {
    const data = this.metadata.length === 1 ? this.metadata[0]! : Buffer.concat(this.metadata);
    this.metadata = [];
    switch (this.pending!.flag) {
      case 'x':
        this.pax = decodePax(data);
        break;
      case 'L':
        this.longName = decodeLongName(data);
        break;
      case 'K':
        this.longLink = decodeLongName(data);
        break;
      // 'g': global PAX headers are ignored, as Docker and containerd ignore them.
    }
    this.toPadding();
  }

  private toPadding(): void {
    this.remaining = this.padding;
    this.state = this.padding > 0 ? 'padding' : 'header';
  }
}
