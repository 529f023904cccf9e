/**
 * Before Go 1.18 the build-info blob holds two pointers to Go strings (the toolchain version
 * and the module info) instead of the strings themselves, and the string bytes live in
 * read-only data, which precedes the blob in the file. A forward-only reader cannot go back
 * for them, so while it streams it remembers the few places that may hold them: where a
 * `go1.` version string starts, and the module info, which cmd/go frames with two fixed
 * 16-byte sentinels (cmd/go/internal/modload, `infoStart`/`infoEnd`, Go ≥ 1.13).
 */

export const MODINFO_START = Buffer.from('3077af0c9274080241e1c107e6d618e6', 'hex');
export const MODINFO_END = Buffer.from('f932433186182072008242104116d8f2', 'hex');
const VERSION_PREFIX = Buffer.from('go1.');

/** Longest toolchain version kept (`go1.16.15` is 9 bytes; boringcrypto builds add a suffix). */
export const MAX_VERSION_BYTES = 64;
/** Bound on remembered version candidates; a binary has a handful, hostile input many more. */
const MAX_VERSION_CANDIDATES = 4096;
/** Bound on remembered module-info strings (each is a few KiB to a few hundred KiB). */
const MAX_MODINFO_CANDIDATES = 8;
/** Longest module info kept; the largest real ones (Kubernetes) are well under 100 KiB. */
export const MAX_MODINFO_BYTES = 4 * 1024 * 1024;

const NEEDLES: [Buffer, 'version' | 'modinfo'][] = [
  [VERSION_PREFIX, 'version'],
  [MODINFO_START, 'modinfo'],
];

/** Bytes kept per capture: a version string, or module info plus one byte to notice it is too long. */
function limitOf(kind: 'version' | 'modinfo'): number {
  return kind === 'version' ? MAX_VERSION_BYTES : MAX_MODINFO_BYTES + 1;
}

interface OpenCapture {
  offset: number;
  data: Buffer;
  kind: 'version' | 'modinfo';
}

export class LegacyStringCollector {
  /** Bytes at each offset where `go1.` starts, up to {@link MAX_VERSION_BYTES}. */
  readonly versions = new Map<number, Buffer>();
  /** Sentinel-framed module info by the offset of its first sentinel, framing included. */
  readonly modinfos = new Map<number, Buffer>();
  private tail = Buffer.alloc(0);
  private open: OpenCapture[] = [];
  private tooMany = false;

  /** A {@link ByteObserver}: sees every byte of the file once, in order. */
  readonly observe = (bytes: Buffer, offset: number): void => {
    this.extend(bytes);
    const keep = MODINFO_START.length - 1;
    if (this.tail.length > 0) {
      // Matches across the seam with the previous piece: search a small window, not a copy of the piece.
      const seam = Buffer.concat([this.tail, bytes.subarray(0, keep)]);
      const straddles = (index: number, length: number) =>
        index < this.tail.length && index + length > this.tail.length;
      this.startCaptures(seam, offset - this.tail.length, straddles, bytes.subarray(keep));
    }
    this.startCaptures(bytes, offset, () => true);
    this.complete();
    const tail = Buffer.concat([this.tail, bytes.subarray(Math.max(0, bytes.length - keep))]);
    this.tail = Buffer.from(tail.subarray(Math.max(0, tail.length - keep)));
  };

  /** True when candidates had to be dropped, so a miss may be ours rather than the binary's. */
  get overflowed(): boolean {
    return this.tooMany;
  }

  private extend(bytes: Buffer): void {
    for (const capture of this.open) {
      const room = limitOf(capture.kind) - capture.data.length;
      if (room > 0) capture.data = Buffer.concat([capture.data, bytes.subarray(0, room)]);
    }
  }

  /** Opens a capture at every accepted match in `haystack`; `rest` holds the bytes that follow it. */
  private startCaptures(
    haystack: Buffer,
    haystackStart: number,
    accept: (index: number, length: number) => boolean,
    rest?: Buffer,
  ): void {
    for (const [needle, kind] of NEEDLES) {
      for (let index = haystack.indexOf(needle); index >= 0; index = haystack.indexOf(needle, index + 1)) {
        if (!accept(index, needle.length)) continue;
        if (!this.hasRoom(kind)) {
          this.tooMany = true;
          break;
        }
        const limit = limitOf(kind);
        const head = haystack.subarray(index, index + limit);
        const data =
          rest && head.length < limit
            ? Buffer.concat([head, rest.subarray(0, limit - head.length)])
            : Buffer.from(head);
        this.open.push({ offset: haystackStart + index, kind, data });
      }
    }
  }

  private hasRoom(kind: OpenCapture['kind']): boolean {
    const pending = this.open.filter((c) => c.kind === kind).length;
    return kind === 'version'
      ? this.versions.size + pending < MAX_VERSION_CANDIDATES
      : this.modinfos.size + pending < MAX_MODINFO_CANDIDATES;
  }

  private complete(): void {
    this.open = this.open.filter((capture) => {
      if (capture.kind === 'version') {
        if (capture.data.length < MAX_VERSION_BYTES) return true;
        this.versions.set(capture.offset, capture.data);
        return false;
      }
      const end = capture.data.indexOf(MODINFO_END, MODINFO_START.length);
      if (end >= 0) {
        this.modinfos.set(capture.offset, capture.data.subarray(0, end + MODINFO_END.length));
        return false;
      }
      // Too long to be module info: forget it rather than hold more.
      return capture.data.length <= MAX_MODINFO_BYTES;
    });
  }

  /** The `length` bytes at `offset`, when a remembered candidate starts there and is long enough. */
  bytesAt(offset: number, length: number): Buffer | undefined {
    const candidates = [this.versions.get(offset), this.modinfos.get(offset)];
    for (const capture of this.open) if (capture.offset === offset) candidates.push(capture.data);
    const match = candidates.find((bytes) => bytes !== undefined && bytes.length >= length);
    return match?.subarray(0, length);
  }
}
