import { parseExecutableLayout } from './exe-layout.js';
import { ForwardReader } from './forward-reader.js';
import { type ExecutableLayout, type MappedRange, offsetOf } from './layout-types.js';
import { LegacyStringCollector, MAX_MODINFO_BYTES, MAX_VERSION_BYTES } from './legacy-strings.js';
import { stripModinfoFraming } from './modinfo.js';

/**
 * Finds the build information the Go linker embeds in every executable (Go ≥ 1.13), reading the
 * file once, front to back, and stopping as soon as it has it. Layout of the blob (see the Go
 * source, `debug/buildinfo` and `cmd/link/internal/ld` `buildinfo`): a 32-byte header aligned
 * to 16 bytes — the magic `\xff Go buildinf:`, the pointer size, and a flags byte (bit 0: big
 * endian, bit 1: strings inline). Go ≥ 1.18 writes the toolchain version and the module info
 * right after the header as uvarint-length-prefixed strings; older toolchains write two
 * pointers to Go string headers instead.
 */

export const BUILDINFO_MAGIC = Buffer.from('\xff Go buildinf:', 'latin1');
const BUILDINFO_HEADER_BYTES = 32;
const BUILDINFO_ALIGN = 16;
const FLAG_BIG_ENDIAN = 1;
const FLAG_INLINE = 2;
/** A uvarint of a length below 2^63 takes at most ten bytes. */
const MAX_UVARINT_BYTES = 10;

/**
 * What the probe found in a Go executable (`modinfo` without its framing, empty for GOPATH
 * builds); undefined results mean "not a Go executable".
 */
export type GoBuildInfoProbeResult =
  | { kind: 'go-buildinfo'; format: ExecutableLayout['format']; goVersion: string; modinfo: string }
  | { kind: 'go-buildinfo-unreadable'; format: ExecutableLayout['format']; reason: string };

/**
 * A {@link CaptureRequest} probe. Returns undefined for anything that is not an executable
 * with Go build info, after reading only as far as needed to know: the first 16 bytes for a
 * script, the writable data for a C program.
 */
export async function probeGoBuildInfo(
  chunks: AsyncIterable<Buffer>,
): Promise<GoBuildInfoProbeResult | undefined> {
  const strings = new LegacyStringCollector();
  const reader = new ForwardReader(chunks, strings.observe);
  try {
    const layout = await readLayout(reader);
    if (!layout) return undefined;
    for (const range of layout.dataRanges) {
      const header = await findHeader(reader, range);
      if (!header) continue;
      if ((header[15]! & FLAG_INLINE) !== 0) return await readInline(reader, layout.format);
      return await readPointers(reader, layout, header, strings);
    }
    return undefined;
  } finally {
    await reader.close();
  }
}

async function readLayout(reader: ForwardReader): Promise<ExecutableLayout | undefined> {
  let want = 16;
  for (;;) {
    const available = await reader.ensure(want);
    const parse = parseExecutableLayout(reader.peek(available));
    if (parse.status === 'ok') return parse.layout;
    if (parse.status === 'unknown' || available < want || parse.bytes <= available) return undefined;
    want = parse.bytes;
  }
}

/** Positions the reader after the header found in `range` and returns the header. */
async function findHeader(reader: ForwardReader, range: MappedRange): Promise<Buffer | undefined> {
  const end = range.offset + range.size;
  if (reader.position > range.offset || !(await reader.skipTo(range.offset))) return undefined;
  // Alignment is of the virtual address, as the linker lays it out.
  const aligned = (offset: number) =>
    (offset - range.offset + range.vaddr) % BUILDINFO_ALIGN === 0 && offset + BUILDINFO_HEADER_BYTES <= end;
  const found = await reader.find(BUILDINFO_MAGIC, end, aligned);
  if (found === undefined) return undefined;
  const header = await reader.read(BUILDINFO_HEADER_BYTES);
  return header.length === BUILDINFO_HEADER_BYTES ? header : undefined;
}

async function readInline(
  reader: ForwardReader,
  format: ExecutableLayout['format'],
): Promise<GoBuildInfoProbeResult> {
  const version = await readLengthPrefixed(reader, MAX_VERSION_BYTES);
  if (!Buffer.isBuffer(version)) return unreadable(format, `Go version ${version.problem}`);
  const modinfo = await readLengthPrefixed(reader, MAX_MODINFO_BYTES);
  if (!Buffer.isBuffer(modinfo)) return unreadable(format, `module information ${modinfo.problem}`);
  return found(format, version, modinfo);
}

async function readLengthPrefixed(reader: ForwardReader, max: number): Promise<Buffer | { problem: string }> {
  const available = await reader.ensure(MAX_UVARINT_BYTES);
  const varint = decodeUvarint(reader.peek(available));
  if (!varint) return { problem: 'has an invalid length prefix' };
  await reader.read(varint.bytes);
  if (varint.value > max) return { problem: `is ${varint.value} bytes, more than the ${max} read` };
  const bytes = await reader.read(varint.value);
  if (bytes.length < varint.value) return { problem: 'is cut off by the end of the file' };
  return bytes;
}

/** Pre-1.18 layout: pointers to two Go string headers `{data, len}` in the data segment. */
async function readPointers(
  reader: ForwardReader,
  layout: ExecutableLayout,
  header: Buffer,
  strings: LegacyStringCollector,
): Promise<GoBuildInfoProbeResult | undefined> {
  const ptrSize = header[14];
  if (ptrSize !== 4 && ptrSize !== 8) return undefined;
  const bigEndian = (header[15]! & FLAG_BIG_ENDIAN) !== 0;
  const pointer = (bytes: Buffer, at: number) => readPointer(bytes, at, ptrSize, bigEndian);
  const addresses = [pointer(header, 16), pointer(header, 16 + ptrSize)];
  const headers = await readAt(reader, layout, addresses, () => 2 * ptrSize, strings);
  if (!headers) return unreadable(layout.format, 'the string headers its pointers name could not be read');
  const lengths = headers.map((h) => pointer(h, ptrSize));
  const limits = [MAX_VERSION_BYTES, MAX_MODINFO_BYTES];
  if (lengths.some((length, i) => length > limits[i]!))
    return unreadable(layout.format, 'a string is too long');
  const data = await readAt(
    reader,
    layout,
    headers.map((h) => pointer(h, 0)),
    (i) => lengths[i]!,
    strings,
  );
  if (!data) {
    const why = strings.overflowed ? ' (the binary has more candidate strings than are remembered)' : '';
    return unreadable(layout.format, `the strings its pointers name could not be read${why}`);
  }
  return found(layout.format, data[0]!, data[1]!);
}

/**
 * Reads `length(i)` bytes at each virtual address: ahead of the reader from the stream,
 * behind it from the remembered candidates. Undefined when any cannot be had.
 */
async function readAt(
  reader: ForwardReader,
  layout: ExecutableLayout,
  addresses: number[],
  length: (index: number) => number,
  strings: LegacyStringCollector,
): Promise<Buffer[] | undefined> {
  const wanted = addresses.map((address, index) => ({
    index,
    size: length(index),
    at: offsetOf(layout, address, length(index)),
  }));
  const out: Buffer[] = [];
  for (const item of wanted.sort((a, b) => (a.at ?? 0) - (b.at ?? 0))) {
    if (item.size === 0) out[item.index] = Buffer.alloc(0);
    else if (item.at === undefined) return undefined;
    else if (item.at >= reader.position) {
      if (!(await reader.skipTo(item.at))) return undefined;
      const bytes = await reader.read(item.size);
      if (bytes.length < item.size) return undefined;
      out[item.index] = bytes;
    } else {
      const bytes = strings.bytesAt(item.at, item.size);
      if (!bytes) return undefined;
      out[item.index] = bytes;
    }
  }
  return out;
}

function readPointer(bytes: Buffer, at: number, size: 4 | 8, bigEndian: boolean): number {
  if (size === 4) return bigEndian ? bytes.readUInt32BE(at) : bytes.readUInt32LE(at);
  const value = bigEndian ? bytes.readBigUInt64BE(at) : bytes.readBigUInt64LE(at);
  return value > BigInt(Number.MAX_SAFE_INTEGER) ? Number.MAX_SAFE_INTEGER : Number(value);
}

/** encoding/binary Uvarint: 7 bits per byte, least significant group first. */
export function decodeUvarint(bytes: Buffer): { value: number; bytes: number } | undefined {
  let value = 0;
  for (let i = 0; i < Math.min(bytes.length, MAX_UVARINT_BYTES); i++) {
    const byte = bytes[i]!;
    value += (byte & 0x7f) * 2 ** (7 * i);
    if (byte < 0x80) return value <= Number.MAX_SAFE_INTEGER ? { value, bytes: i + 1 } : undefined;
  }
  return undefined;
}

function found(format: ExecutableLayout['format'], version: Buffer, modinfo: Buffer): GoBuildInfoProbeResult {
  const goVersion = version.toString('utf8');
  if (goVersion === '') return unreadable(format, 'the Go version is empty');
  return { kind: 'go-buildinfo', format, goVersion, modinfo: stripModinfoFraming(modinfo).toString('utf8') };
}

function unreadable(format: ExecutableLayout['format'], reason: string): GoBuildInfoProbeResult {
  return { kind: 'go-buildinfo-unreadable', format, reason };
}
