import { inlineBuildInfo } from './go-elf.js';

/**
 * Minimal Windows (PE32+) and macOS (Mach-O 64) executables carrying Go ≥ 1.18 build info
 * where the Go linker puts it: at the start of the first writable data section (`.data`),
 * and in the `__DATA,__go_buildinfo` section. `go version -m` reads both.
 */

const PE_IMAGE_BASE = 0x140000000;
const PE_FILE_ALIGN = 0x200;
const PE_SECTION_ALIGN = 0x1000;
const MACHO_BASE = 0x100000000;
const MACHO_PAGE = 0x1000;

export function buildGoPe(goVersion: string, modinfo: string): Buffer {
  const blob = inlineBuildInfo(goVersion, modinfo);
  const dataSize = align(blob.length + 64, PE_FILE_ALIGN);
  const file = Buffer.alloc(0x400 + dataSize);
  file.write('MZ', 0, 'latin1');
  file.writeUInt32LE(0x40, 0x3c);
  file.write('PE\0\0', 0x40, 'latin1');
  const coff = 0x44;
  file.writeUInt16LE(0x8664, coff); // IMAGE_FILE_MACHINE_AMD64
  file.writeUInt16LE(2, coff + 2);
  file.writeUInt16LE(240, coff + 16);
  file.writeUInt16LE(0x22, coff + 18); // EXECUTABLE_IMAGE | LARGE_ADDRESS_AWARE
  const optional = coff + 20;
  file.writeUInt16LE(0x20b, optional); // PE32+
  file.writeUInt32LE(0x1000, optional + 16); // AddressOfEntryPoint
  file.writeBigUInt64LE(BigInt(PE_IMAGE_BASE), optional + 24);
  file.writeUInt32LE(PE_SECTION_ALIGN, optional + 32);
  file.writeUInt32LE(PE_FILE_ALIGN, optional + 36);
  file.writeUInt16LE(6, optional + 48); // MajorSubsystemVersion
  file.writeUInt32LE(0x3000, optional + 56); // SizeOfImage
  file.writeUInt32LE(0x200, optional + 60); // SizeOfHeaders
  file.writeUInt16LE(3, optional + 68); // IMAGE_SUBSYSTEM_WINDOWS_CUI
  file.writeUInt32LE(16, optional + 108); // NumberOfRvaAndSizes
  const sections = optional + 240;
  writePeSection(file, sections, {
    name: '.text',
    vaddr: 0x1000,
    size: 0x200,
    offset: 0x200,
    flags: 0x60000020,
  });
  writePeSection(file, sections + 40, {
    name: '.data',
    vaddr: 0x2000,
    size: dataSize,
    offset: 0x400,
    flags: 0xc0000040,
  });
  file.fill(0xcc, 0x200, 0x400);
  blob.copy(file, 0x400);
  return file;
}

function writePeSection(
  file: Buffer,
  at: number,
  s: { name: string; vaddr: number; size: number; offset: number; flags: number },
): void {
  file.write(s.name, at, 'latin1');
  file.writeUInt32LE(s.size, at + 8); // VirtualSize
  file.writeUInt32LE(s.vaddr, at + 12);
  file.writeUInt32LE(s.size, at + 16); // SizeOfRawData
  file.writeUInt32LE(s.offset, at + 20);
  file.writeUInt32LE(s.flags >>> 0, at + 36);
}

export function buildGoMachO(goVersion: string, modinfo: string): Buffer {
  const blob = inlineBuildInfo(goVersion, modinfo);
  const dataSize = align(blob.length + 64, MACHO_PAGE);
  const commands = [
    segment({ name: '__PAGEZERO', vaddr: 0, vsize: MACHO_BASE, offset: 0, size: 0, prot: 0 }),
    segment({ name: '__TEXT', vaddr: MACHO_BASE, vsize: MACHO_PAGE, offset: 0, size: MACHO_PAGE, prot: 5 }, [
      { name: '__text', addr: MACHO_BASE + 0x800, size: 0x100, offset: 0x800 },
    ]),
    segment(
      {
        name: '__DATA',
        vaddr: MACHO_BASE + MACHO_PAGE,
        vsize: dataSize,
        offset: MACHO_PAGE,
        size: dataSize,
        prot: 3,
      },
      [{ name: '__go_buildinfo', addr: MACHO_BASE + MACHO_PAGE, size: blob.length, offset: MACHO_PAGE }],
    ),
  ];
  const header = Buffer.alloc(32);
  header.writeUInt32LE(0xfeedfacf, 0);
  header.writeUInt32LE(0x01000007, 4); // CPU_TYPE_X86_64
  header.writeUInt32LE(3, 8);
  header.writeUInt32LE(2, 12); // MH_EXECUTE
  header.writeUInt32LE(commands.length, 16);
  header.writeUInt32LE(
    commands.reduce((n, c) => n + c.length, 0),
    20,
  );
  const file = Buffer.alloc(MACHO_PAGE + dataSize);
  Buffer.concat([header, ...commands]).copy(file);
  blob.copy(file, MACHO_PAGE);
  return file;
}

function segment(
  s: { name: string; vaddr: number; vsize: number; offset: number; size: number; prot: number },
  sections: { name: string; addr: number; size: number; offset: number }[] = [],
): Buffer {
  const command = Buffer.alloc(72 + 80 * sections.length);
  command.writeUInt32LE(0x19, 0); // LC_SEGMENT_64
  command.writeUInt32LE(command.length, 4);
  command.write(s.name, 8, 'latin1');
  [s.vaddr, s.vsize, s.offset, s.size].forEach((v, i) => command.writeBigUInt64LE(BigInt(v), 24 + 8 * i));
  command.writeUInt32LE(s.prot, 56);
  command.writeUInt32LE(s.prot, 60);
  command.writeUInt32LE(sections.length, 64);
  sections.forEach((section, i) => {
    const at = 72 + 80 * i;
    command.write(section.name, at, 'latin1');
    command.write(s.name, at + 16, 'latin1');
    command.writeBigUInt64LE(BigInt(section.addr), at + 32);
    command.writeBigUInt64LE(BigInt(section.size), at + 40);
    command.writeUInt32LE(section.offset, at + 48);
    command.writeUInt32LE(4, at + 52); // 2^4 alignment
  });
  return command;
}

function align(value: number, to: number): number {
  return Math.ceil(value / to) * to;
}
