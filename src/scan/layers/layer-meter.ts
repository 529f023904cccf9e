import { formatBytes } from '../../kernel/index.js';
import { LayerLimitError } from './layer-errors.js';
import type { LayerLimits } from './limits.js';

/** Counters shared by all layers of one image. */
export interface ImageTotals {
  decompressed: number;
  captured: number;
  entries: number;
}

/**
 * Counts a layer's compressed and decompressed bytes as they flow and throws a
 * {@link LayerLimitError} the moment a size or ratio limit is passed, before the next chunk
 * is produced, so that a bomb costs at most one chunk beyond the limit.
 */
export class LayerMeter {
  compressed = 0;
  decompressed = 0;

  constructor(
    private readonly limits: LayerLimits,
    private readonly totals: ImageTotals,
  ) {}

  input(bytes: number): void {
    this.compressed += bytes;
  }

  output(bytes: number): void {
    this.decompressed += bytes;
    this.totals.decompressed += bytes;
    const { limits } = this;
    if (this.decompressed > limits.maxDecompressedBytesPerLayer) {
      throw new LayerLimitError(
        'maxDecompressedBytesPerLayer',
        'layer',
        `more than ${formatBytes(limits.maxDecompressedBytesPerLayer)} decompressed (maxDecompressedBytesPerLayer)`,
      );
    }
    if (this.totals.decompressed > limits.maxDecompressedBytesPerImage) {
      throw new LayerLimitError(
        'maxDecompressedBytesPerImage',
        'image',
        `more than ${formatBytes(limits.maxDecompressedBytesPerImage)} decompressed over all layers (maxDecompressedBytesPerImage)`,
      );
    }
    if (
      this.decompressed > limits.ratioGraceBytes &&
      this.decompressed > limits.maxDecompressionRatio * this.compressed
    ) {
      throw new LayerLimitError(
        'maxDecompressionRatio',
        'layer',
        `decompression ratio above ${limits.maxDecompressionRatio}:1 (${formatBytes(this.decompressed)} from ${formatBytes(this.compressed)}; maxDecompressionRatio)`,
      );
    }
  }
}
