import { parseElfLayout } from './elf-layout.js';
import { parseMachOLayout } from './macho-layout.js';
import { parsePeLayout } from './pe-layout.js';
import type { LayoutParse } from './layout-types.js';

/** Headers larger than this are not an executable we read (real ones are a few KiB). */
export const MAX_HEADER_BYTES = 1024 * 1024;

/** Bytes that identify every format handled here. */
export const IDENT_BYTES = 16;

/**
 * Identifies an ELF, PE or Mach-O executable from its first bytes and reads the layout of its
 * loaded regions. Universal (fat) Mach-O files are not read: their magic is also the magic
 * of Java class files, and images for Linux do not carry them.
 */
export function parseExecutableLayout(head: Buffer): LayoutParse {
  if (head.length < IDENT_BYTES) return { status: 'need', bytes: IDENT_BYTES };
  let parse: LayoutParse = { status: 'unknown' };
  if (head.readUInt32BE(0) === 0x7f454c46) parse = parseElfLayout(head);
  else if (head[0] === 0x4d && head[1] === 0x5a) parse = parsePeLayout(head);
  else if (isMachOMagic(head.readUInt32BE(0))) parse = parseMachOLayout(head);
  if (parse.status === 'need' && parse.bytes > MAX_HEADER_BYTES) return { status: 'unknown' };
  if (parse.status === 'ok') parse.layout.dataRanges.sort((a, b) => a.offset - b.offset);
  return parse;
}

function isMachOMagic(magic: number): boolean {
  return magic === 0xfeedface || magic === 0xfeedfacf || magic === 0xcefaedfe || magic === 0xcffaedfe;
}
