/**
 * Builds small but genuine ELF executables carrying Go build info, the way the Go linker lays
 * it out (cmd/link/internal/ld `buildinfo`; debug/buildinfo reads it): a `.go.buildinfo`
 * section opening the writable PT_LOAD segment, with a 32-byte header aligned to 16 bytes,
 * then either the inline strings of Go ≥ 1.18 or, in the older layout, pointers to Go string
 * headers whose bytes live in read-only data. `go version -m` reads these files.
 */

const INFO_START = Buffer.from('3077af0c9274080241e1c107e6d618e6', 'hex');
const INFO_END = Buffer.from('f932433186182072008242104116d8f2', 'hex');
const MAGIC = Buffer.from('\xff Go buildinf:', 'latin1');
const BASE_ADDRESS = 0x400000;
const PAGE = 0x1000;

export interface GoElfOptions {
  goVersion: string;
  /** Module info as `go version -m` prints it (lines ending in `\n`); '' for a GOPATH build. */
  modinfo: string;
  /** `inline`: Go ≥ 1.18; `pointers`: Go 1.13–1.17. */
  layout?: 'inline' | 'pointers';
  elfClass?: 32 | 64;
  bigEndian?: boolean;
  /** Bytes of filler "code" before the read-only data, to move the data far into the file. */
  textBytes?: number;
  /** Bytes placed in read-only data before the real strings (decoys), each at a 16-byte boundary. */
  rodataDecoys?: (string | Buffer)[];
}

interface Section {
  name: string;
  type: number;
  flags: number;
  offset: number;
  size: number;
  align: number;
}

/** A Go-built ELF executable with the given build info. */
export function buildGoElf(options: GoElfOptions): Buffer {
  const w = new FieldWriter(options.elfClass ?? 64, options.bigEndian ?? false);
  const framed = frameModinfo(options.modinfo);
  const version = Buffer.from(options.goVersion);
  const headerEnd = w.ehsize + 2 * w.phentsize;
  const rodataParts = [...(options.rodataDecoys ?? []).map(padded), version, framed];
  const textOffset = align(headerEnd, 16);
  const rodataOffset = align(textOffset + (options.textBytes ?? 256), 16);
  const rodataOffsets: number[] = [];
  let cursor = rodataOffset;
  for (const part of rodataParts) {
    rodataOffsets.push(cursor);
    cursor += part.length;
  }
  const textEnd = cursor;
  const dataOffset = align(textEnd, PAGE);
  const addr = (offset: number) => BASE_ADDRESS + offset;
  const versionAt = rodataOffsets[rodataOffsets.length - 2]!;
  const modinfoAt = rodataOffsets[rodataOffsets.length - 1]!;
  const data =
    (options.layout ?? 'inline') === 'inline'
      ? inlineBlob(w, options.goVersion, options.modinfo)
      : pointerBlob(
          w,
          dataOffset,
          addr,
          { at: addr(versionAt), length: version.length },
          { at: addr(modinfoAt), length: framed.length },
        );
  const sections = layoutSections(w, textOffset, textEnd, dataOffset, data.buildinfoSize, data.bytes.length);
  const shstrtab = sectionNames(sections);
  const shstrOffset = dataOffset + data.bytes.length;
  const shoff = align(shstrOffset + shstrtab.bytes.length, 8);
  const file = Buffer.alloc(shoff + (sections.length + 2) * w.shentsize);
  fillText(file, textOffset, rodataOffset);
  rodataParts.forEach((part, i) => part.copy(file, rodataOffsets[i]!));
  data.bytes.copy(file, dataOffset);
  shstrtab.bytes.copy(file, shstrOffset);
  writeElfHeader(w, file, { shoff, shnum: sections.length + 2, shstrndx: sections.length + 1 });
  writeProgramHeader(w, file, 0, { flags: 5, offset: 0, vaddr: addr(0), size: textEnd });
  writeProgramHeader(w, file, 1, {
    flags: 6,
    offset: dataOffset,
    vaddr: addr(dataOffset),
    size: data.bytes.length,
  });
  const all = [
    ...sections,
    { name: '.shstrtab', type: 3, flags: 0, offset: shstrOffset, size: shstrtab.bytes.length, align: 1 },
  ];
  all.forEach((section, i) =>
    writeSectionHeader(w, file, shoff + (i + 1) * w.shentsize, section, shstrtab.index, addr),
  );
  return file;
}

/** Module info with the sentinels cmd/go frames it with; '' stays empty (GOPATH builds). */
export function frameModinfo(modinfo: string): Buffer {
  return modinfo === '' ? Buffer.alloc(0) : Buffer.concat([INFO_START, Buffer.from(modinfo), INFO_END]);
}

/** The Go ≥ 1.18 build-info blob: header, then the version and framed module info inline. */
export function inlineBuildInfo(
  goVersion: string,
  modinfo: string,
  ptrSize: 4 | 8 = 8,
  bigEndian = false,
): Buffer {
  const version = Buffer.from(goVersion);
  const framed = frameModinfo(modinfo);
  const header = Buffer.alloc(32);
  MAGIC.copy(header);
  header[14] = ptrSize;
  header[15] = 2 | (bigEndian ? 1 : 0);
  return Buffer.concat([header, uvarint(version.length), version, uvarint(framed.length), framed]);
}

function inlineBlob(
  w: FieldWriter,
  goVersion: string,
  modinfo: string,
): { bytes: Buffer; buildinfoSize: number } {
  const blob = inlineBuildInfo(goVersion, modinfo, w.ptrSize, w.bigEndian);
  // Other data follows the blob in real binaries (.noptrdata); Go ≤ 1.20 relies on it when
  // bounds-checking the last string.
  const buildinfoSize = align(blob.length, 16);
  return { bytes: Buffer.concat([blob, Buffer.alloc(buildinfoSize - blob.length + 64)]), buildinfoSize };
}

function pointerBlob(
  w: FieldWriter,
  dataOffset: number,
  addr: (offset: number) => number,
  version: { at: number; length: number },
  modinfo: { at: number; length: number },
): { bytes: Buffer; buildinfoSize: number } {
  const bytes = Buffer.alloc(64);
  MAGIC.copy(bytes);
  bytes[14] = w.ptrSize;
  bytes[15] = w.bigEndian ? 1 : 0;
  // String headers {data, len} follow the blob, as runtime.buildVersion and runtime.modinfo do in .data.
  const versionHeader = 32;
  const modinfoHeader = 48;
  w.pointer(bytes, 16, addr(dataOffset + versionHeader));
  w.pointer(bytes, 16 + w.ptrSize, addr(dataOffset + modinfoHeader));
  w.pointer(bytes, versionHeader, version.at);
  w.pointer(bytes, versionHeader + w.ptrSize, version.length);
  w.pointer(bytes, modinfoHeader, modinfo.length === 0 ? 0 : modinfo.at);
  w.pointer(bytes, modinfoHeader + w.ptrSize, modinfo.length);
  return { bytes, buildinfoSize: 32 };
}

function layoutSections(
  w: FieldWriter,
  textOffset: number,
  textEnd: number,
  dataOffset: number,
  buildinfoSize: number,
  dataSize: number,
): Section[] {
  const SHT_PROGBITS = 1;
  const SHF_WRITE = 1;
  const SHF_ALLOC = 2;
  const SHF_EXECINSTR = 4;
  const sections: Section[] = [
    {
      name: '.text',
      type: SHT_PROGBITS,
      flags: SHF_ALLOC | SHF_EXECINSTR,
      offset: textOffset,
      size: textEnd - textOffset,
      align: 16,
    },
    {
      name: '.go.buildinfo',
      type: SHT_PROGBITS,
      flags: SHF_WRITE | SHF_ALLOC,
      offset: dataOffset,
      size: buildinfoSize,
      align: 16,
    },
  ];
  if (dataSize > buildinfoSize) {
    const name = buildinfoSize === 32 ? '.data' : '.noptrdata';
    sections.push({
      name,
      type: SHT_PROGBITS,
      flags: SHF_WRITE | SHF_ALLOC,
      offset: dataOffset + buildinfoSize,
      size: dataSize - buildinfoSize,
      align: w.ptrSize,
    });
  }
  return sections;
}

function sectionNames(sections: Section[]): { bytes: Buffer; index: Map<string, number> } {
  const index = new Map<string, number>();
  const parts: Buffer[] = [Buffer.from([0])];
  let size = 1;
  for (const name of [...sections.map((s) => s.name), '.shstrtab']) {
    index.set(name, size);
    const bytes = Buffer.from(`${name}\0`);
    parts.push(bytes);
    size += bytes.length;
  }
  return { bytes: Buffer.concat(parts), index };
}

/** Deterministic filler standing in for machine code. */
function fillText(file: Buffer, from: number, to: number): void {
  let state = 0x2545f491;
  for (let i = from; i < to; i++) {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    file[i] = state >>> 24;
  }
}

function writeElfHeader(
  w: FieldWriter,
  file: Buffer,
  sh: { shoff: number; shnum: number; shstrndx: number },
): void {
  file.writeUInt32BE(0x7f454c46, 0);
  file[4] = w.elfClass === 64 ? 2 : 1;
  file[5] = w.bigEndian ? 2 : 1;
  file[6] = 1; // EV_CURRENT
  w.u16(file, 16, 2); // ET_EXEC
  w.u16(file, 18, w.bigEndian ? 21 : 62); // EM_PPC64 / EM_X86_64
  w.u32(file, 20, 1);
  const is64 = w.elfClass === 64;
  w.pointer(file, 24, BASE_ADDRESS + 0x100); // e_entry
  w.pointer(file, is64 ? 32 : 28, w.ehsize); // e_phoff
  w.pointer(file, is64 ? 40 : 32, sh.shoff);
  const rest = is64 ? 52 : 40; // e_ehsize onwards
  w.u16(file, rest, w.ehsize);
  w.u16(file, rest + 2, w.phentsize);
  w.u16(file, rest + 4, 2);
  w.u16(file, rest + 6, w.shentsize);
  w.u16(file, rest + 8, sh.shnum);
  w.u16(file, rest + 10, sh.shstrndx);
}

function writeProgramHeader(
  w: FieldWriter,
  file: Buffer,
  index: number,
  p: { flags: number; offset: number; vaddr: number; size: number },
): void {
  const at = w.ehsize + index * w.phentsize;
  w.u32(file, at, 1); // PT_LOAD
  if (w.elfClass === 64) {
    w.u32(file, at + 4, p.flags);
    [p.offset, p.vaddr, p.vaddr, p.size, p.size, PAGE].forEach((v, i) => w.pointer(file, at + 8 + i * 8, v));
  } else {
    [p.offset, p.vaddr, p.vaddr, p.size, p.size].forEach((v, i) => w.u32(file, at + 4 + i * 4, v));
    w.u32(file, at + 24, p.flags);
    w.u32(file, at + 28, PAGE);
  }
}

function writeSectionHeader(
  w: FieldWriter,
  file: Buffer,
  at: number,
  s: Section,
  names: Map<string, number>,
  addr: (offset: number) => number,
): void {
  w.u32(file, at, names.get(s.name)!);
  w.u32(file, at + 4, s.type);
  const vaddr = s.flags & 2 ? addr(s.offset) : 0;
  if (w.elfClass === 64) {
    [s.flags, vaddr, s.offset, s.size].forEach((v, i) => w.pointer(file, at + 8 + i * 8, v));
    w.pointer(file, at + 48, s.align);
  } else {
    [s.flags, vaddr, s.offset, s.size].forEach((v, i) => w.u32(file, at + 8 + i * 4, v));
    w.u32(file, at + 32, s.align);
  }
}

class FieldWriter {
  readonly ptrSize: 4 | 8;
  readonly ehsize: number;
  readonly phentsize: number;
  readonly shentsize: number;

  constructor(
    readonly elfClass: 32 | 64,
    readonly bigEndian: boolean,
  ) {
    this.ptrSize = elfClass === 64 ? 8 : 4;
    this.ehsize = elfClass === 64 ? 64 : 52;
    this.phentsize = elfClass === 64 ? 56 : 32;
    this.shentsize = elfClass === 64 ? 64 : 40;
  }

  u16(b: Buffer, at: number, v: number): void {
    if (this.bigEndian) b.writeUInt16BE(v, at);
    else b.writeUInt16LE(v, at);
  }

  u32(b: Buffer, at: number, v: number): void {
    if (this.bigEndian) b.writeUInt32BE(v, at);
    else b.writeUInt32LE(v, at);
  }

  pointer(b: Buffer, at: number, v: number): void {
    if (this.ptrSize === 4) this.u32(b, at, v);
    else if (this.bigEndian) b.writeBigUInt64BE(BigInt(v), at);
    else b.writeBigUInt64LE(BigInt(v), at);
  }
}

function padded(decoy: string | Buffer): Buffer {
  const bytes = Buffer.from(decoy);
  return Buffer.concat([bytes, Buffer.alloc(align(bytes.length, 16) - bytes.length)]);
}

function uvarint(value: number): Buffer {
  const bytes: number[] = [];
  let rest = value;
  while (rest >= 0x80) {
    bytes.push((rest % 0x80) | 0x80);
    rest = Math.floor(rest / 0x80);
  }
  bytes.push(rest);
  return Buffer.from(bytes);
}

function align(value: number, to: number): number {
  return Math.ceil(value / to) * to;
}
