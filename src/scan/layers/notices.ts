import type { ScanNotice } from '../inventory/types.js';

/** Stable codes of the notices the layer reader adds to a scan. */
export const LayerNoticeCode = {
  /** A layer's bytes are neither gzip, zstd nor tar. */
  CompressionUnsupported: 'SCAN_LAYER_COMPRESSION_UNSUPPORTED',
  /** A layer's compressed data or tar structure is corrupt; what came before the fault is kept. */
  LayerUnreadable: 'SCAN_LAYER_UNREADABLE',
  /** A layer was abandoned (or skipped) because a size, ratio or entry limit was reached. */
  LayerLimit: 'SCAN_LAYER_LIMIT',
  /** A wanted file is larger than every `maxBytes` asked for. */
  FileTooLarge: 'SCAN_LAYER_FILE_TOO_LARGE',
  /** The image's capture budget was spent; further wanted files were not read. */
  CaptureBudget: 'SCAN_LAYER_CAPTURE_BUDGET',
  /** An entry's path or link target leaves the root, is too long or too deep, or runs into a non-directory. */
  EntryDropped: 'SCAN_LAYER_ENTRY_DROPPED',
  /** A wanted hard link whose target was not captured, so its bytes were never held. */
  HardLinkNotCaptured: 'SCAN_LAYER_HARDLINK_NOT_CAPTURED',
  /** A detector's probe or selector threw; the file is kept without that result. */
  ProbeFailed: 'SCAN_LAYER_PROBE_FAILED',
} as const;

export type LayerNoticeCode = (typeof LayerNoticeCode)[keyof typeof LayerNoticeCode];

/**
 * Notices of one kind beyond this many are counted, not kept: a hostile layer with a million
 * `../` entries must not produce a million notices.
 */
export const MAX_NOTICES_PER_CODE = 20;

/** Collects notices, keeping the first few of each code and a count of the rest. */
export class NoticeCollector {
  private readonly kept: ScanNotice[] = [];
  private readonly counts = new Map<string, number>();

  add(level: ScanNotice['level'], code: LayerNoticeCode, message: string, path?: string): void {
    const count = (this.counts.get(code) ?? 0) + 1;
    this.counts.set(code, count);
    if (count > MAX_NOTICES_PER_CODE) return;
    this.kept.push(path === undefined ? { level, code, message } : { level, code, message, path });
  }

  /** The kept notices, followed by one summary per code whose notices were cut short. */
  list(): ScanNotice[] {
    const out = [...this.kept];
    for (const [code, count] of this.counts) {
      if (count <= MAX_NOTICES_PER_CODE) continue;
      const level = this.kept.find((n) => n.code === code)?.level ?? 'warning';
      out.push({
        level,
        code,
        message: `${count - MAX_NOTICES_PER_CODE} more notices of this kind were omitted`,
      });
    }
    return out;
  }
}
