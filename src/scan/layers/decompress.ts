import { Readable, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip, type ZlibOptions } from 'node:zlib';
import { LayerFormatError, LayerLimitError } from './layer-errors.js';
import type { LayerFormat } from './layer-format.js';
import type { LayerMeter } from './layer-meter.js';
import { unzstdChunks } from './zstd-chunks.js';

/**
 * zlib's default output chunk is 16 KiB; 64 KiB quarters the per-chunk work of everything
 * downstream (tar parsing, probes) on the scan's hot path.
 */
export const GUNZIP_CHUNK_BYTES = 64 * 1024;
/**
 * Inflating runs on libuv's thread pool. With the default 16 KiB read buffer every 64 KiB
 * chunk fills it, and zlib waits for the tar reader before inflating the next one; letting it
 * run a few chunks ahead overlaps the two.
 */
const GUNZIP_READ_AHEAD_BYTES = 4 * GUNZIP_CHUNK_BYTES;

/** Where a failure of the pipeline came from, so that it is reported as what it is. */
export type FailureOrigin = 'source' | 'decompression' | 'tar';

export class LayerPipelineError extends Error {
  constructor(
    readonly origin: FailureOrigin,
    readonly error: unknown,
  ) {
    super(error instanceof Error ? error.message : String(error));
  }
}

/**
 * Streams a layer's blob through decompression into `sink` with backpressure all the way
 * (the same shape as `pipeline(blob, gunzip, sink)`, which is the baseline it is measured
 * against). `meter` sees the compressed and decompressed bytes; `sink` counts the
 * decompressed ones itself except for zstd, whose decoder counts block by block.
 *
 * Rejects with a {@link LayerPipelineError} saying which stage failed first: a failing blob
 * is the store's problem, corrupt data the image's.
 */
export async function pumpLayer(
  format: LayerFormat,
  source: Readable,
  sink: Writable,
  meter: LayerMeter,
  maxRatio: number,
): Promise<void> {
  let origin: FailureOrigin | undefined;
  source.once('error', () => (origin ??= 'source'));
  sink.once('error', () => (origin ??= 'tar'));
  try {
    switch (format) {
      case 'gzip': {
        const gunzip = createGunzip({
          chunkSize: GUNZIP_CHUNK_BYTES,
          // zlib streams take stream options too; Node's typings leave them out.
          ...({ readableHighWaterMark: GUNZIP_READ_AHEAD_BYTES } as ZlibOptions),
        });
        gunzip.once('error', () => (origin ??= 'decompression'));
        source.on('data', (chunk: Buffer) => meter.input(chunk.length));
        await pipeline(source, gunzip, sink);
        return;
      }
      case 'zstd':
        await pipeline(source, (input: AsyncIterable<Buffer>) => unzstdChunks(input, meter, maxRatio), sink);
        return;
      case 'tar':
        await pipeline(source, sink);
        return;
    }
  } catch (error) {
    if (error instanceof LayerLimitError || error instanceof LayerFormatError) throw error;
    if (origin === 'decompression') {
      const reason = error instanceof Error ? error.message : String(error);
      throw new LayerFormatError(`gzip data is corrupt: ${reason}`, error);
    }
    throw new LayerPipelineError(origin ?? 'tar', error);
  }
}

/**
 * Reads at least `bytes` bytes (fewer when the blob is shorter) and returns them with a stream
 * of the whole blob from its first byte: `stream` itself with the bytes put back, or, when it
 * already ended, a stream of just those bytes.
 */
export function readHead(stream: Readable, bytes: number): Promise<{ head: Buffer; stream: Readable }> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let length = 0;
    const finish = (ended: boolean): void => {
      cleanup();
      const head = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
      if (ended) {
        resolve({ head, stream: Readable.from(head.length > 0 ? [head] : []) });
        return;
      }
      stream.unshift(head);
      resolve({ head, stream });
    };
    const onReadable = (): void => {
      let chunk: Buffer | null;
      while (length < bytes && (chunk = stream.read() as Buffer | null) !== null) {
        chunks.push(chunk);
        length += chunk.length;
      }
      if (length >= bytes) finish(false);
    };
    const onEnd = (): void => finish(true);
    const onError = (error: unknown): void => {
      cleanup();
      reject(error);
    };
    const cleanup = (): void => {
      stream.off('readable', onReadable);
      stream.off('end', onEnd);
      stream.off('error', onError);
    };
    stream.on('readable', onReadable);
    stream.once('end', onEnd);
    stream.once('error', onError);
  });
}
