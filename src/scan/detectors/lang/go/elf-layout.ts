import { type LayoutParse, type MappedRange, toSafe } from './layout-types.js';

/** ELF constants (System V gABI, "ELF Header" and "Program Header"). */
const ELFCLASS32 = 1;
const ELFCLASS64 = 2;
const ELFDATA2LSB = 1;
const ELFDATA2MSB = 2;
const PT_LOAD = 1;
const PF_X = 1;
const PF_W = 2;
/** e_phnum value meaning "the real count is in section header 0", which sits at the end of the file. */
const PN_XNUM = 0xffff;

interface ElfReader {
  u16(at: number): number;
  u32(at: number): number;
  /** An address-sized field (4 or 8 bytes). */
  addr(at: number): number | undefined;
  is64: boolean;
}

/**
 * Reads the program headers. Section headers are at the end of the file and cannot be used
 * when streaming, so the build info is looked for in every writable, non-executable PT_LOAD
 * segment: with Go's internal linker `.go.buildinfo` opens the first one; with external
 * linking it follows `.data` in the same segment.
 */
export function parseElfLayout(head: Buffer): LayoutParse {
  const elfClass = head[4];
  const data = head[5];
  if (
    (elfClass !== ELFCLASS32 && elfClass !== ELFCLASS64) ||
    (data !== ELFDATA2LSB && data !== ELFDATA2MSB)
  ) {
    return { status: 'unknown' };
  }
  const is64 = elfClass === ELFCLASS64;
  const headerSize = is64 ? 64 : 52;
  if (head.length < headerSize) return { status: 'need', bytes: headerSize };
  const reader = elfReader(head, data === ELFDATA2LSB, is64);
  const phoff = reader.addr(is64 ? 0x20 : 0x1c);
  const phentsize = reader.u16(is64 ? 0x36 : 0x2a);
  const phnum = reader.u16(is64 ? 0x38 : 0x2c);
  if (phoff === undefined || phnum === PN_XNUM || phentsize < (is64 ? 56 : 32)) return { status: 'unknown' };
  const end = phoff + phnum * phentsize;
  if (head.length < end) return { status: 'need', bytes: end };
  const segments: MappedRange[] = [];
  const dataRanges: MappedRange[] = [];
  for (let i = 0; i < phnum; i++) {
    const at = phoff + i * phentsize;
    const segment = readLoadSegment(reader, at);
    if (!segment || segment.range.size === 0) continue;
    segments.push(segment.range);
    if ((segment.flags & (PF_X | PF_W)) === PF_W) dataRanges.push(segment.range);
  }
  return { status: 'ok', layout: { format: 'elf', segments, dataRanges } };
}

function readLoadSegment(reader: ElfReader, at: number): { range: MappedRange; flags: number } | undefined {
  if (reader.u32(at) !== PT_LOAD) return undefined;
  const fields = reader.is64
    ? {
        flags: reader.u32(at + 4),
        offset: reader.addr(at + 8),
        vaddr: reader.addr(at + 16),
        size: reader.addr(at + 32),
      }
    : {
        flags: reader.u32(at + 24),
        offset: reader.addr(at + 4),
        vaddr: reader.addr(at + 8),
        size: reader.addr(at + 16),
      };
  if (fields.offset === undefined || fields.vaddr === undefined || fields.size === undefined)
    return undefined;
  return { range: { offset: fields.offset, vaddr: fields.vaddr, size: fields.size }, flags: fields.flags };
}

function elfReader(head: Buffer, little: boolean, is64: boolean): ElfReader {
  return {
    is64,
    u16: (at) => (little ? head.readUInt16LE(at) : head.readUInt16BE(at)),
    u32: (at) => (little ? head.readUInt32LE(at) : head.readUInt32BE(at)),
    addr: (at) => {
      if (!is64) return little ? head.readUInt32LE(at) : head.readUInt32BE(at);
      return toSafe(little ? head.readBigUInt64LE(at) : head.readBigUInt64BE(at));
    },
  };
}
