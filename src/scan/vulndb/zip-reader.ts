import { open, type FileHandle } from 'node:fs/promises';
import { crc32, inflateRawSync } from 'node:zlib';
import { AppError, throwIfAborted } from '../../kernel/index.js';

/**
 * Reads a ZIP archive (APPNOTE.TXT 6.3) entry by entry from its file, through its central
 * directory: only one entry's bytes are held at a time, so an archive of any size (OSV's
 * per-ecosystem `all.zip`) is read in bounded memory. ZIP64 archives (more than 65,535
 * entries, as large OSV archives are) are supported; stored and deflated entries are; an
 * encrypted or otherwise compressed entry is reported as unreadable, not fatal.
 */

export interface ZipEntry {
  name: string;
  method: number;
  flags: number;
  crc32: number;
  compressedSize: number;
  uncompressedSize: number;
  localHeaderOffset: number;
}

export type ZipEntryData =
  { entry: ZipEntry; ok: true; data: Buffer } | { entry: ZipEntry; ok: false; problem: string };

export interface ReadZipOptions {
  signal?: AbortSignal;
  /** Entries whose names this rejects are not read (their bytes are skipped). */
  accept?: (name: string) => boolean;
  /** Entries larger than this (uncompressed) are reported, not inflated. */
  maxEntryBytes?: number;
}

/** 64 MiB: far above any OSV record (the largest are a few MiB of version lists), far below memory trouble. */
export const DEFAULT_MAX_ENTRY_BYTES = 64 * 1024 * 1024;
/** Read-ahead window: entries are laid out in order, so most reads are served from memory. */
const WINDOW_BYTES = 4 * 1024 * 1024;
const EOCD_SIGNATURE = 0x06054b50;
const ZIP64_LOCATOR_SIGNATURE = 0x07064b50;
const ZIP64_EOCD_SIGNATURE = 0x06064b50;
const CENTRAL_SIGNATURE = 0x02014b50;
const LOCAL_SIGNATURE = 0x04034b50;
/** End-of-central-directory record (22 bytes) plus the longest comment (65,535). */
const EOCD_SEARCH_BYTES = 22 + 0xffff;

/** Yields each entry's bytes (or why they could not be read), in archive order. */
export async function* readZipEntries(
  path: string,
  options: ReadZipOptions = {},
): AsyncGenerator<ZipEntryData> {
  const handle = await open(path, 'r').catch((error: NodeJS.ErrnoException) => {
    throw new AppError('SCAN_VULNDB_SOURCE_INVALID', `cannot open ${path}: ${error.message}`, {
      cause: error,
    });
  });
  try {
    const reader = new WindowedReader(handle, (await handle.stat()).size);
    const entries = (await readCentralDirectory(reader, path)).sort(
      (a, b) => a.localHeaderOffset - b.localHeaderOffset,
    );
    const max = options.maxEntryBytes ?? DEFAULT_MAX_ENTRY_BYTES;
    for (const entry of entries) {
      throwIfAborted(options.signal);
      if (entry.name.endsWith('/') || (options.accept && !options.accept(entry.name))) continue;
      yield await readEntry(reader, entry, max, path);
    }
  } finally {
    await handle.close();
  }
}

async function readEntry(
  reader: WindowedReader,
  entry: ZipEntry,
  max: number,
  path: string,
): Promise<ZipEntryData> {
  if (entry.flags & 0x1) return { entry, ok: false, problem: 'the entry is encrypted' };
  if (entry.method !== 0 && entry.method !== 8)
    return {
      entry,
      ok: false,
      problem: `compression method ${entry.method} is not supported (only stored and deflated)`,
    };
  if (entry.uncompressedSize > max)
    return {
      entry,
      ok: false,
      problem: `the entry is ${entry.uncompressedSize} bytes, over the ${max}-byte limit`,
    };
  const header = await reader.read(entry.localHeaderOffset, 30);
  if (header.readUInt32LE(0) !== LOCAL_SIGNATURE)
    corrupt(path, `no local header for ${entry.name} at offset ${entry.localHeaderOffset}`);
  const dataStart = entry.localHeaderOffset + 30 + header.readUInt16LE(26) + header.readUInt16LE(28);
  const compressed = await reader.read(dataStart, entry.compressedSize);
  let data: Buffer;
  try {
    data =
      entry.method === 0
        ? Buffer.from(compressed)
        : inflateRawSync(compressed, { maxOutputLength: Math.max(1, entry.uncompressedSize) });
  } catch (error) {
    return { entry, ok: false, problem: `its data does not inflate: ${(error as Error).message}` };
  }
  if (data.length !== entry.uncompressedSize)
    return {
      entry,
      ok: false,
      problem: `it inflated to ${data.length} bytes, not the declared ${entry.uncompressedSize}`,
    };
  if (crc32(data) >>> 0 !== entry.crc32) return { entry, ok: false, problem: 'its CRC-32 does not match' };
  return { entry, ok: true, data };
}

async function readCentralDirectory(reader: WindowedReader, path: string): Promise<ZipEntry[]> {
  const tailStart = Math.max(0, reader.size - EOCD_SEARCH_BYTES);
  const tail = await reader.read(tailStart, reader.size - tailStart);
  let at = -1;
  for (let i = tail.length - 22; i >= 0; i--) {
    if (tail.readUInt32LE(i) === EOCD_SIGNATURE) {
      at = i;
      break;
    }
  }
  if (at < 0) corrupt(path, 'no end-of-central-directory record (not a ZIP archive, or truncated)');
  let count = tail.readUInt16LE(at + 10);
  let size = tail.readUInt32LE(at + 12);
  let offset = tail.readUInt32LE(at + 16);
  if (count === 0xffff || size === 0xffffffff || offset === 0xffffffff) {
    ({ count, size, offset } = await readZip64End(reader, tailStart + at, path));
  }
  if (offset + size > reader.size) corrupt(path, 'the central directory lies beyond the end of the file');
  const directory = await reader.read(offset, size);
  const entries: ZipEntry[] = [];
  let p = 0;
  for (let i = 0; i < count; i++) {
    if (p + 46 > directory.length || directory.readUInt32LE(p) !== CENTRAL_SIGNATURE)
      corrupt(path, `central directory entry ${i} is damaged`);
    const nameLength = directory.readUInt16LE(p + 28);
    const extraLength = directory.readUInt16LE(p + 30);
    const commentLength = directory.readUInt16LE(p + 32);
    const entry: ZipEntry = {
      flags: directory.readUInt16LE(p + 8),
      method: directory.readUInt16LE(p + 10),
      crc32: directory.readUInt32LE(p + 16),
      compressedSize: directory.readUInt32LE(p + 20),
      uncompressedSize: directory.readUInt32LE(p + 24),
      localHeaderOffset: directory.readUInt32LE(p + 42),
      name: directory.toString('utf8', p + 46, p + 46 + nameLength),
    };
    applyZip64Extra(entry, directory.subarray(p + 46 + nameLength, p + 46 + nameLength + extraLength));
    entries.push(entry);
    p += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}

async function readZip64End(reader: WindowedReader, eocdOffset: number, path: string) {
  if (eocdOffset < 20) corrupt(path, 'ZIP64 sizes are announced but no ZIP64 locator exists');
  const locator = await reader.read(eocdOffset - 20, 20);
  if (locator.readUInt32LE(0) !== ZIP64_LOCATOR_SIGNATURE)
    corrupt(path, 'ZIP64 sizes are announced but no ZIP64 locator exists');
  const recordOffset = Number(locator.readBigUInt64LE(8));
  const record = await reader.read(recordOffset, 56);
  if (record.readUInt32LE(0) !== ZIP64_EOCD_SIGNATURE)
    corrupt(path, 'the ZIP64 end-of-central-directory record is missing');
  return {
    count: Number(record.readBigUInt64LE(32)),
    size: Number(record.readBigUInt64LE(40)),
    offset: Number(record.readBigUInt64LE(48)),
  };
}

/** Replaces 0xFFFFFFFF placeholders by the 64-bit values of the ZIP64 extra field (APPNOTE 4.5.3). */
function applyZip64Extra(entry: ZipEntry, extra: Buffer): void {
  for (let p = 0; p + 4 <= extra.length;) {
    const id = extra.readUInt16LE(p);
    const size = extra.readUInt16LE(p + 2);
    if (id === 0x0001) {
      let q = p + 4;
      const next = () => {
        const value = q + 8 <= p + 4 + size ? Number(extra.readBigUInt64LE(q)) : undefined;
        q += 8;
        return value;
      };
      if (entry.uncompressedSize === 0xffffffff) entry.uncompressedSize = next() ?? entry.uncompressedSize;
      if (entry.compressedSize === 0xffffffff) entry.compressedSize = next() ?? entry.compressedSize;
      if (entry.localHeaderOffset === 0xffffffff) entry.localHeaderOffset = next() ?? entry.localHeaderOffset;
      return;
    }
    p += 4 + size;
  }
}

function corrupt(path: string, problem: string): never {
  throw new AppError('SCAN_VULNDB_SOURCE_INVALID', `${path} is not a readable ZIP archive: ${problem}`);
}

/** Serves reads from a sliding window over the file, refilled when a read falls outside it. */
class WindowedReader {
  private window = Buffer.alloc(0);
  private windowStart = 0;

  constructor(
    private readonly handle: FileHandle,
    readonly size: number,
  ) {}

  async read(offset: number, length: number): Promise<Buffer> {
    if (offset < 0 || offset + length > this.size) {
      throw new AppError(
        'SCAN_VULNDB_SOURCE_INVALID',
        `read of ${length} bytes at offset ${offset} runs past the end of the archive (${this.size} bytes)`,
      );
    }
    const end = this.windowStart + this.window.length;
    if (offset >= this.windowStart && offset + length <= end) {
      return this.window.subarray(offset - this.windowStart, offset - this.windowStart + length);
    }
    const want = Math.min(Math.max(length, WINDOW_BYTES), this.size - offset);
    const buffer = Buffer.allocUnsafe(want);
    const { bytesRead } = await this.handle.read(buffer, 0, want, offset);
    this.window = buffer.subarray(0, bytesRead);
    this.windowStart = offset;
    if (bytesRead < length)
      throw new AppError(
        'SCAN_VULNDB_SOURCE_INVALID',
        `short read at offset ${offset}: the archive changed while being read`,
      );
    return this.window.subarray(0, length);
  }
}
