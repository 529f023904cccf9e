import { Decompress } from 'fzstd';
import { AppError, formatBytes } from '../../kernel/index.js';
import { LayerFormatError, LayerLimitError } from './layer-errors.js';
import type { LayerMeter } from './layer-meter.js';

/**
 * fzstd decodes everything a `push` hands it before returning, calling back once per block
 * (at most 128 KiB), with no way to pause. Input is therefore fed in small slices, and the
 * output of one slice is capped: an RLE block turns 4 bytes into 128 KiB, so an unchecked
 * 64 KiB chunk of them would be 2 GiB in memory.
 */
const SLICE_BYTES = 16 * 1024;
/** Output one slice may produce: a local ratio of 2048:1, far above any real data's. */
const MIN_SLICE_OUTPUT_BYTES = 32 * 1024 * 1024;

const EMPTY = new Uint8Array(0);

/**
 * Decompresses a zstd stream (one or more frames, skippable frames allowed; RFC 8878), counting
 * the bytes in and out on `meter`.
 */
export async function* unzstdChunks(
  input: AsyncIterable<Buffer>,
  meter: LayerMeter,
  maxRatio: number,
): AsyncGenerator<Buffer> {
  const maxSliceOutput = Math.max(MIN_SLICE_OUTPUT_BYTES, maxRatio * SLICE_BYTES);
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  const decoder = new Decompress((block) => {
    pendingBytes += block.length;
    if (pendingBytes > maxSliceOutput) {
      throw new LayerLimitError(
        'maxDecompressionRatio',
        'layer',
        `zstd data expanding ${formatBytes(SLICE_BYTES)} into more than ${formatBytes(maxSliceOutput)} (maxDecompressionRatio)`,
      );
    }
    meter.output(block.length);
    pending.push(Buffer.from(block.buffer, block.byteOffset, block.length));
  });
  for await (const chunk of input) {
    meter.input(chunk.length);
    for (let offset = 0; offset < chunk.length; offset += SLICE_BYTES) {
      push(decoder, chunk.subarray(offset, offset + SLICE_BYTES), false);
      if (pending.length === 0) continue;
      const out = pending;
      pending = [];
      pendingBytes = 0;
      yield* out;
    }
  }
  push(decoder, EMPTY, true);
  yield* pending;
}

function push(decoder: Decompress, data: Uint8Array, final: boolean): void {
  try {
    decoder.push(data, final);
  } catch (error) {
    if (error instanceof AppError) throw error;
    const reason = error instanceof Error ? error.message : String(error);
    throw new LayerFormatError(`zstd data is corrupt: ${reason}`, error);
  }
}
