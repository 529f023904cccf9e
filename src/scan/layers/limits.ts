import { AppError } from '../../kernel/index.js';

/**
 * Bounds on what one scan reads, against hostile or broken images. Every limit that is hit
 * produces a notice and never an out-of-memory crash; the scan keeps what it read before.
 */
export interface LayerLimits {
  /** Bytes held in memory for captured file contents over the whole image. */
  maxCapturedBytesPerImage: number;
  /** Decompressed bytes read from one layer before it is abandoned. */
  maxDecompressedBytesPerLayer: number;
  /** Decompressed bytes read from all layers before the remaining layers are skipped. */
  maxDecompressedBytesPerImage: number;
  /**
   * Decompressed bytes per compressed byte of a layer, checked as bytes flow once
   * `ratioGraceBytes` have been decompressed. Infinity turns the check off.
   */
  maxDecompressionRatio: number;
  /** Decompressed bytes of a layer before the ratio is checked (the start of a tar is mostly headers). */
  ratioGraceBytes: number;
  /** Tar entries over the whole image; each entry costs a node of the filesystem tree in memory. */
  maxEntriesPerImage: number;
  /** Characters of an entry's path or link target; longer ones are dropped. */
  maxPathLength: number;
  /** Components of an entry's path; deeper ones are dropped. */
  maxPathDepth: number;
}

const GiB = 1024 * 1024 * 1024;
const MiB = 1024 * 1024;

export const DEFAULT_LAYER_LIMITS: Readonly<LayerLimits> = Object.freeze({
  // Package databases in images are a few MiB (rpmdb.sqlite the largest, tens of MiB); 256 MiB
  // leaves room for several while keeping a scan well inside a small worker's memory.
  maxCapturedBytesPerImage: 256 * MiB,
  // The largest real layers (CUDA, ML frameworks) are a few GiB; reading more is a time sink.
  maxDecompressedBytesPerLayer: 16 * GiB,
  maxDecompressedBytesPerImage: 64 * GiB,
  // Real layers compress 2-10:1; gzip cannot exceed ~1030:1, so 200:1 only trips on long runs
  // of identical bytes, which is what a decompression bomb is made of.
  maxDecompressionRatio: 200,
  ratioGraceBytes: 64 * MiB,
  // Each entry costs about 200 bytes of tree; a node_modules-heavy image has a few hundred
  // thousand, and a million (some 200 MiB) is more than any real image.
  maxEntriesPerImage: 1_000_000,
  // Linux PATH_MAX.
  maxPathLength: 4096,
  maxPathDepth: 256,
});

/** Defaults overridden by the given limits, each checked to be a positive number. */
export function resolveLimits(overrides: Partial<LayerLimits> = {}): LayerLimits {
  const limits = { ...DEFAULT_LAYER_LIMITS };
  for (const [key, value] of Object.entries(overrides) as [keyof LayerLimits, number | undefined][]) {
    if (value === undefined) continue;
    if (!(key in DEFAULT_LAYER_LIMITS)) {
      throw new AppError('USAGE_INVALID', `unknown layer limit "${key}"`);
    }
    if (typeof value !== 'number' || Number.isNaN(value) || value <= 0) {
      throw new AppError(
        'USAGE_INVALID',
        `layer limit ${key} must be a positive number, got ${String(value)}`,
      );
    }
    limits[key] = value;
  }
  return limits;
}
