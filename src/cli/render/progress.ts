import type { CopyEvent } from '../../oci/copy/index.js';
import { formatBytes } from './format.js';

interface ProgressStream {
  write(text: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

/** Redraw at most ten times a second: smooth enough, and cheap on slow terminals. */
const REDRAW_MS = 100;

/**
 * A one-line live status of a copy run on a terminal (images done, blobs in flight,
 * bytes and rate). Lines printed through {@link log} appear above it. On anything but a
 * TTY it draws nothing: logs stay quiet and parsable.
 */
export class CopyProgress {
  private readonly active: boolean;
  private timer: NodeJS.Timeout | undefined;
  private imagesTotal = 0;
  private imagesDone = 0;
  private readonly inflight = new Map<string, { bytes: number; size: number }>();
  private bytesDone = 0;
  private readonly started = Date.now();
  private drawn = false;

  constructor(
    private readonly stream: ProgressStream,
    enabled: boolean,
  ) {
    this.active = enabled && stream.isTTY === true;
  }

  readonly onEvent = (event: CopyEvent): void => {
    switch (event.type) {
      case 'image-start':
        this.imagesTotal++;
        break;
      case 'image-done':
      case 'image-failed':
        this.imagesDone++;
        break;
      case 'blob-start':
        this.inflight.set(event.digest, { bytes: 0, size: event.size });
        break;
      case 'blob-progress': {
        const entry = this.inflight.get(event.digest);
        if (entry) entry.bytes = event.bytes;
        break;
      }
      case 'blob-done': {
        const entry = this.inflight.get(event.digest);
        if (entry) this.bytesDone += entry.size;
        this.inflight.delete(event.digest);
        break;
      }
      default:
        break;
    }
    this.schedule();
  };

  /** Prints a line above the status line. */
  log(line: string): void {
    this.clear();
    this.stream.write(`${line}\n`);
    this.schedule();
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.clear();
  }

  private schedule(): void {
    if (!this.active || this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.draw();
    }, REDRAW_MS);
    this.timer.unref();
  }

  private draw(): void {
    let current = this.bytesDone;
    let total = this.bytesDone;
    for (const entry of this.inflight.values()) {
      current += entry.bytes;
      total += entry.size;
    }
    const seconds = Math.max(0.001, (Date.now() - this.started) / 1000);
    const width = Math.max(10, Math.min(30, (this.stream.columns ?? 80) - 70));
    const ratio = total > 0 ? Math.min(1, current / total) : 0;
    const bar = `${'#'.repeat(Math.round(ratio * width))}${'-'.repeat(width - Math.round(ratio * width))}`;
    const line = `[${bar}] ${this.imagesDone}/${this.imagesTotal} images · ${this.inflight.size} blobs in flight · ${formatBytes(current)} · ${formatBytes(current / seconds)}/s`;
    this.stream.write(`\r\x1b[2K${line.slice(0, (this.stream.columns ?? 120) - 1)}`);
    this.drawn = true;
  }

  private clear(): void {
    if (this.active && this.drawn) {
      this.stream.write('\r\x1b[2K');
      this.drawn = false;
    }
  }
}
