import { type LayoutParse, type MappedRange, toSafe } from './layout-types.js';

/** PE/COFF constants (Microsoft PE Format: "Section Flags", "Optional Header Standard Fields"). */
const PE_SIGNATURE = 0x50450000; // "PE\0\0"
const PE32_MAGIC = 0x10b;
const PE32_PLUS_MAGIC = 0x20b;
const SECTION_HEADER_BYTES = 40;
const IMAGE_SCN_CNT_INITIALIZED_DATA = 0x00000040;
const IMAGE_SCN_MEM_EXECUTE = 0x20000000;
const IMAGE_SCN_MEM_WRITE = 0x80000000;

/**
 * Reads the section table. Go puts the build info at the start of the first writable
 * initialised-data section (`.data`); every such section is searched.
 */
export function parsePeLayout(head: Buffer): LayoutParse {
  if (head.length < 0x40) return { status: 'need', bytes: 0x40 };
  const pe = head.readUInt32LE(0x3c);
  const coffEnd = pe + 24;
  if (head.length < coffEnd + 2) return { status: 'need', bytes: coffEnd + 2 };
  if (head.readUInt32BE(pe) !== PE_SIGNATURE) return { status: 'unknown' };
  const sections = head.readUInt16LE(pe + 6);
  const optionalSize = head.readUInt16LE(pe + 20);
  const magic = head.readUInt16LE(coffEnd);
  if (magic !== PE32_MAGIC && magic !== PE32_PLUS_MAGIC) return { status: 'unknown' };
  const tableStart = coffEnd + optionalSize;
  const end = tableStart + sections * SECTION_HEADER_BYTES;
  if (head.length < end) return { status: 'need', bytes: end };
  const imageBase =
    magic === PE32_MAGIC ? head.readUInt32LE(coffEnd + 28) : toSafe(head.readBigUInt64LE(coffEnd + 24));
  if (imageBase === undefined) return { status: 'unknown' };
  const segments: MappedRange[] = [];
  const dataRanges: MappedRange[] = [];
  for (let i = 0; i < sections; i++) {
    const at = tableStart + i * SECTION_HEADER_BYTES;
    const range: MappedRange = {
      vaddr: imageBase + head.readUInt32LE(at + 12),
      size: head.readUInt32LE(at + 16),
      offset: head.readUInt32LE(at + 20),
    };
    if (range.size === 0 || range.offset === 0) continue;
    segments.push(range);
    const flags = head.readUInt32LE(at + 36);
    const wanted = IMAGE_SCN_CNT_INITIALIZED_DATA | IMAGE_SCN_MEM_WRITE;
    if ((flags & (wanted | IMAGE_SCN_MEM_EXECUTE)) >>> 0 === wanted >>> 0) dataRanges.push(range);
  }
  return { status: 'ok', layout: { format: 'pe', segments, dataRanges } };
}
