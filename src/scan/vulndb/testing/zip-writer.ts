import { crc32, deflateRawSync } from 'node:zlib';

/**
 * A small ZIP writer for tests of the reader, producing the variants real archives use that
 * general-purpose libraries do not write on request: ZIP64 records (as archives of more than
 * 65,535 entries carry) and data descriptors with zeroed local sizes (as Go's archive/zip
 * writes). APPNOTE.TXT 6.3, sections 4.3 and 4.5.3.
 */
export interface TestZipEntry {
  name: string;
  data: Buffer;
  method?: 'store' | 'deflate';
  /** Declared uncompressed size, when a test wants it to lie. */
  declaredSize?: number;
  /** CRC-32 to declare, when a test wants it to lie. */
  declaredCrc?: number;
}

export interface TestZipOptions {
  zip64?: boolean;
  dataDescriptor?: boolean;
}

interface Prepared {
  name: Buffer;
  method: number;
  body: Buffer;
  crc: number;
  size: number;
  flags: number;
}

export function buildZip(entries: TestZipEntry[], options: TestZipOptions = {}): Buffer {
  const parts: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const entry of entries) {
    const prepared = prepare(entry, options);
    const local = localRecord(prepared, options);
    parts.push(local);
    central.push(centralRecord(prepared, offset, options));
    offset += local.length;
  }
  const directory = Buffer.concat(central);
  return Buffer.concat([...parts, directory, endRecords(entries.length, directory.length, offset, options)]);
}

function prepare(entry: TestZipEntry, options: TestZipOptions): Prepared {
  const method = entry.method === 'deflate' ? 8 : 0;
  return {
    name: Buffer.from(entry.name, 'utf8'),
    method,
    body: method === 8 ? deflateRawSync(entry.data) : entry.data,
    crc: entry.declaredCrc ?? crc32(entry.data) >>> 0,
    size: entry.declaredSize ?? entry.data.length,
    // Bit 11: UTF-8 names; bit 3: sizes in a data descriptor after the data.
    flags: (options.dataDescriptor ? 0x08 : 0) | 0x800,
  };
}

/** Local file header, data and, when asked, the data descriptor. */
function localRecord(e: Prepared, options: TestZipOptions): Buffer {
  const deferred = options.dataDescriptor === true;
  const header = Buffer.concat([
    u32(0x04034b50),
    u16(options.zip64 ? 45 : 20),
    u16(e.flags),
    u16(e.method),
    u16(0),
    u16(0x21),
    u32(deferred ? 0 : e.crc),
    u32(options.zip64 ? 0xffffffff : deferred ? 0 : e.body.length),
    u32(options.zip64 ? 0xffffffff : deferred ? 0 : e.size),
    u16(e.name.length),
    u16(options.zip64 ? 20 : 0),
    e.name,
    ...(options.zip64 ? [u16(0x0001), u16(16), u64(e.size), u64(e.body.length)] : []),
  ]);
  const descriptor = deferred
    ? Buffer.concat([
        u32(0x08074b50),
        u32(e.crc),
        ...(options.zip64 ? [u64(e.body.length), u64(e.size)] : [u32(e.body.length), u32(e.size)]),
      ])
    : Buffer.alloc(0);
  return Buffer.concat([header, e.body, descriptor]);
}

function centralRecord(e: Prepared, offset: number, options: TestZipOptions): Buffer {
  const version = options.zip64 ? 45 : 20;
  return Buffer.concat([
    u32(0x02014b50),
    u16(version),
    u16(version),
    u16(e.flags),
    u16(e.method),
    u16(0),
    u16(0x21),
    u32(e.crc),
    u32(options.zip64 ? 0xffffffff : e.body.length),
    u32(options.zip64 ? 0xffffffff : e.size),
    u16(e.name.length),
    u16(options.zip64 ? 28 : 0),
    u16(0),
    u16(0),
    u16(0),
    u32(0),
    u32(options.zip64 ? 0xffffffff : offset),
    e.name,
    ...(options.zip64 ? [u16(0x0001), u16(24), u64(e.size), u64(e.body.length), u64(offset)] : []),
  ]);
}

/** End of central directory; for ZIP64 preceded by the ZIP64 record and its locator, the classic fields saturated. */
function endRecords(count: number, size: number, offset: number, options: TestZipOptions): Buffer {
  if (!options.zip64) {
    return Buffer.concat([
      u32(0x06054b50),
      u16(0),
      u16(0),
      u16(count),
      u16(count),
      u32(size),
      u32(offset),
      u16(0),
    ]);
  }
  const recordOffset = offset + size;
  return Buffer.concat([
    u32(0x06064b50),
    u64(44),
    u16(45),
    u16(45),
    u32(0),
    u32(0),
    u64(count),
    u64(count),
    u64(size),
    u64(offset),
    u32(0x07064b50),
    u32(0),
    u64(recordOffset),
    u32(1),
    u32(0x06054b50),
    u16(0),
    u16(0),
    u16(0xffff),
    u16(0xffff),
    u32(0xffffffff),
    u32(0xffffffff),
    u16(0),
  ]);
}

function u16(value: number): Buffer {
  const b = Buffer.alloc(2);
  b.writeUInt16LE(value);
  return b;
}

function u32(value: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(value >>> 0);
  return b;
}

function u64(value: number): Buffer {
  const b = Buffer.alloc(8);
  b.writeBigUInt64LE(BigInt(value));
  return b;
}
