import { type LayoutParse, type MappedRange, toSafe } from './layout-types.js';

/** Mach-O constants (<mach-o/loader.h>). */
const MH_MAGIC = 0xfeedface;
const MH_MAGIC_64 = 0xfeedfacf;
const LC_SEGMENT = 0x1;
const LC_SEGMENT_64 = 0x19;
const VM_PROT_READ_WRITE = 3;
/** The section Go's linker writes the build info to (cmd/link, `__DATA,__go_buildinfo`). */
const GO_BUILDINFO_SECTION = '__go_buildinfo';

interface MachOSegment {
  range: MappedRange;
  initprot: number;
  maxprot: number;
  sections: { name: string; range: MappedRange }[];
}

/**
 * Reads the segment load commands. The build info is in the `__go_buildinfo` section when
 * there is one (Go ≥ 1.18 and external linking alike), else in the first read-write segment.
 */
export function parseMachOLayout(head: Buffer): LayoutParse {
  const little = head.readUInt32LE(0) === MH_MAGIC || head.readUInt32LE(0) === MH_MAGIC_64;
  const is64 = (little ? head.readUInt32LE(0) : head.readUInt32BE(0)) === MH_MAGIC_64;
  const headerSize = is64 ? 32 : 28;
  if (head.length < headerSize) return { status: 'need', bytes: headerSize };
  const u32 = (at: number) => (little ? head.readUInt32LE(at) : head.readUInt32BE(at));
  const ncmds = u32(16);
  const end = headerSize + u32(20);
  if (head.length < end) return { status: 'need', bytes: end };
  const segments: MachOSegment[] = [];
  let at = headerSize;
  for (let i = 0; i < ncmds && at + 8 <= end; i++) {
    const cmd = u32(at);
    const size = u32(at + 4);
    if (size < 8 || at + size > end) return { status: 'unknown' };
    if (cmd === LC_SEGMENT || cmd === LC_SEGMENT_64) {
      const segment = readSegment(head, at, cmd === LC_SEGMENT_64, little);
      if (segment === undefined) return { status: 'unknown' };
      segments.push(segment);
    }
    at += size;
  }
  const mapped = segments.filter((s) => s.range.size > 0 && s.range.vaddr !== 0);
  const buildInfo = mapped.flatMap((s) => s.sections).find((s) => s.name === GO_BUILDINFO_SECTION);
  const writable = mapped.filter(
    (s) => s.initprot === VM_PROT_READ_WRITE && s.maxprot === VM_PROT_READ_WRITE,
  );
  const dataRanges = buildInfo ? [buildInfo.range] : writable.slice(0, 1).map((s) => s.range);
  return { status: 'ok', layout: { format: 'macho', segments: mapped.map((s) => s.range), dataRanges } };
}

function readSegment(head: Buffer, at: number, is64: boolean, little: boolean): MachOSegment | undefined {
  const u32 = (offset: number) => (little ? head.readUInt32LE(offset) : head.readUInt32BE(offset));
  const word = (offset: number) =>
    is64 ? toSafe(little ? head.readBigUInt64LE(offset) : head.readBigUInt64BE(offset)) : u32(offset);
  const wordSize = is64 ? 8 : 4;
  const fields = at + 24; // cmd, cmdsize, segname[16]
  const vaddr = word(fields);
  const offset = word(fields + 2 * wordSize);
  const size = word(fields + 3 * wordSize);
  const protAt = fields + 4 * wordSize;
  if (vaddr === undefined || offset === undefined || size === undefined) return undefined;
  const nsects = u32(protAt + 8);
  const sectionSize = is64 ? 80 : 68;
  const sections: MachOSegment['sections'] = [];
  let section = protAt + 16;
  for (let i = 0; i < nsects && section + sectionSize <= head.length; i++, section += sectionSize) {
    const addr = word(section + 32);
    const length = word(section + 32 + wordSize);
    const fileOffset = u32(section + 32 + 2 * wordSize);
    if (addr === undefined || length === undefined) return undefined;
    sections.push({
      name: cString(head, section, 16),
      range: { vaddr: addr, size: length, offset: fileOffset },
    });
  }
  return { range: { vaddr, offset, size }, maxprot: u32(protAt), initprot: u32(protAt + 4), sections };
}

function cString(buffer: Buffer, at: number, length: number): string {
  const bytes = buffer.subarray(at, at + length);
  const nul = bytes.indexOf(0);
  return bytes.subarray(0, nul < 0 ? length : nul).toString('latin1');
}
