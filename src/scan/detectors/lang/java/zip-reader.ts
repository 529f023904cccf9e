import { inflateSync } from 'fflate';

/**
 * A zip reader over bytes in memory that extracts one entry at a time (PKWARE APPNOTE 6.3.10:
 * 4.3.12 central directory, 4.3.16 end of central directory, 4.3.14/4.5.3 Zip64), so that a
 * fat jar's nested jars are opened one after the other instead of all at once. Stored entries
 * are returned as views without copying; deflated ones are inflated into a buffer of the
 * declared size, which bounds the output of a lying entry.
 */
export interface ZipEntry {
  name: string;
  /** 0 stored, 8 deflated (APPNOTE 4.4.5); others are not read. */
  method: number;
  compressedSize: number;
  size: number;
  /** General purpose bit flag; bit 0 means encrypted. */
  flags: number;
  localHeaderOffset: number;
}

export class ZipFormatError extends Error {
  override readonly name = 'ZipFormatError';
}

const EOCD_SIGNATURE = 0x06054b50;
const ZIP64_LOCATOR_SIGNATURE = 0x07064b50;
const ZIP64_EOCD_SIGNATURE = 0x06064b50;
const CENTRAL_SIGNATURE = 0x02014b50;
const LOCAL_SIGNATURE = 0x04034b50;
const ZIP64_EXTRA_ID = 0x0001;
const EOCD_BYTES = 22;
/** The archive comment is at most 65535 bytes, so the end record is within this of the end. */
const EOCD_SEARCH_BYTES = EOCD_BYTES + 0xffff;

export function listZipEntries(zip: Uint8Array): ZipEntry[] {
  const view = Buffer.from(zip.buffer, zip.byteOffset, zip.byteLength);
  const eocd = findEndRecord(view);
  const directory = {
    count: view.readUInt16LE(eocd + 10),
    size: view.readUInt32LE(eocd + 12),
    offset: view.readUInt32LE(eocd + 16),
    /** Where the central directory ends: the first end record. */
    end: eocd,
  };
  const zip64 = findZip64EndRecord(view, eocd);
  if (zip64 !== undefined) {
    directory.count = safe(view.readBigUInt64LE(zip64 + 32));
    directory.size = safe(view.readBigUInt64LE(zip64 + 40));
    directory.offset = safe(view.readBigUInt64LE(zip64 + 48));
    directory.end = zip64;
  }
  // Bytes prepended to the archive (a launch script) shift every offset; unzip(1) allows for it too.
  const shift = Math.max(0, directory.end - directory.size - directory.offset);
  return readCentralDirectory(view, directory.offset + shift, directory.count, shift);
}

/** APPNOTE 4.3.15: the Zip64 locator sits right before the end record and points at the Zip64 end record. */
function findZip64EndRecord(view: Buffer, eocd: number): number | undefined {
  const locator = eocd - 20;
  if (locator < 0 || view.readUInt32LE(locator) !== ZIP64_LOCATOR_SIGNATURE) return undefined;
  // Without extensible data (which jars never carry) the record is the 56 bytes before the locator,
  // wherever a prepended script moved it; else trust the stored offset.
  const adjacent = locator - 56;
  if (adjacent >= 0 && view.readUInt32LE(adjacent) === ZIP64_EOCD_SIGNATURE) return adjacent;
  const stored = safe(view.readBigUInt64LE(locator + 8));
  if (stored + 56 <= view.length && view.readUInt32LE(stored) === ZIP64_EOCD_SIGNATURE) return stored;
  throw new ZipFormatError('the Zip64 end of central directory record is missing');
}

function findEndRecord(view: Buffer): number {
  const lowest = Math.max(0, view.length - EOCD_SEARCH_BYTES);
  for (let at = view.length - EOCD_BYTES; at >= lowest; at--) {
    if (view.readUInt32LE(at) === EOCD_SIGNATURE) return at;
  }
  throw new ZipFormatError('no end of central directory record (not a zip file, or truncated)');
}

function readCentralDirectory(view: Buffer, start: number, count: number, shift: number): ZipEntry[] {
  const entries: ZipEntry[] = [];
  let at = start;
  for (let i = 0; i < count; i++) {
    if (at + 46 > view.length || view.readUInt32LE(at) !== CENTRAL_SIGNATURE) {
      throw new ZipFormatError(`central directory entry ${i} is damaged`);
    }
    const nameLength = view.readUInt16LE(at + 28);
    const extraLength = view.readUInt16LE(at + 30);
    const commentLength = view.readUInt16LE(at + 32);
    const entry: ZipEntry = {
      name: view.toString('utf8', at + 46, at + 46 + nameLength),
      flags: view.readUInt16LE(at + 8),
      method: view.readUInt16LE(at + 10),
      compressedSize: view.readUInt32LE(at + 20),
      size: view.readUInt32LE(at + 24),
      localHeaderOffset: view.readUInt32LE(at + 42),
    };
    applyZip64(entry, view.subarray(at + 46 + nameLength, at + 46 + nameLength + extraLength));
    entry.localHeaderOffset += shift;
    entries.push(entry);
    at += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}

/** APPNOTE 4.5.3: 64-bit values follow, in order, for each field saturated at 0xFFFFFFFF. */
function applyZip64(entry: ZipEntry, extra: Buffer): void {
  const SATURATED = 0xffffffff;
  for (let at = 0; at + 4 <= extra.length;) {
    const id = extra.readUInt16LE(at);
    const length = extra.readUInt16LE(at + 2);
    if (id === ZIP64_EXTRA_ID) {
      let field = at + 4;
      const next = () => {
        if (field + 8 > at + 4 + length) throw new ZipFormatError(`Zip64 field of ${entry.name} is short`);
        const value = safe(extra.readBigUInt64LE(field));
        field += 8;
        return value;
      };
      if (entry.size === SATURATED) entry.size = next();
      if (entry.compressedSize === SATURATED) entry.compressedSize = next();
      if (entry.localHeaderOffset === SATURATED) entry.localHeaderOffset = next();
      return;
    }
    at += 4 + length;
  }
}

/** The entry's uncompressed bytes. Throws ZipFormatError for damaged, encrypted or unsupported entries. */
export function readZipEntry(zip: Uint8Array, entry: ZipEntry): Uint8Array {
  if (entry.flags & 1) throw new ZipFormatError(`${entry.name} is encrypted`);
  if (entry.method !== 0 && entry.method !== 8)
    throw new ZipFormatError(`${entry.name} uses compression method ${entry.method}`);
  const view = Buffer.from(zip.buffer, zip.byteOffset, zip.byteLength);
  const local = entry.localHeaderOffset;
  if (local + 30 > view.length || view.readUInt32LE(local) !== LOCAL_SIGNATURE) {
    throw new ZipFormatError(`local header of ${entry.name} is missing`);
  }
  const dataStart = local + 30 + view.readUInt16LE(local + 26) + view.readUInt16LE(local + 28);
  const dataEnd = dataStart + entry.compressedSize;
  if (dataEnd > view.length) throw new ZipFormatError(`${entry.name} extends past the end of the archive`);
  const data = zip.subarray(dataStart, dataEnd);
  if (entry.method === 0) {
    if (entry.size !== entry.compressedSize)
      throw new ZipFormatError(`stored entry ${entry.name} has inconsistent sizes`);
    return data;
  }
  try {
    const out = inflateSync(data, { out: new Uint8Array(entry.size) });
    if (out.length !== entry.size)
      throw new ZipFormatError(`${entry.name} inflates to ${out.length} bytes, not ${entry.size}`);
    return out;
  } catch (error) {
    if (error instanceof ZipFormatError) throw error;
    throw new ZipFormatError(`${entry.name} cannot be inflated (${(error as Error).message})`);
  }
}

function safe(value: bigint): number {
  if (value > BigInt(Number.MAX_SAFE_INTEGER))
    throw new ZipFormatError('a Zip64 size or offset is out of range');
  return Number(value);
}
