import { LayerFormatError } from './layer-errors.js';

/**
 * Decoding of tar headers (POSIX.1-1988 ustar, GNU and PAX, as Go's archive/tar reads them,
 * since that is what containerd and Docker extract layers with). Pure functions over one
 * 512-byte block; the reader in tar-reader.ts drives them.
 */

export const BLOCK_SIZE = 512;

export type TarEntryType = 'file' | 'link' | 'symlink' | 'directory' | 'other';

export interface TarHeader {
  name: string;
  type: TarEntryType;
  /** Bytes of the entry's body; 0 for types that never have one (links, directories, devices). */
  size: number;
  mode: number;
  linkname: string;
}

/** What a block announces before the reader knows the entry's final name and size. */
export interface RawHeader extends TarHeader {
  /** The typeflag byte as a character ('0', 'x', 'L', …). */
  flag: string;
  /** Bytes following the header in the archive (the body, or the metadata of x/g/L/K). */
  dataSize: number;
  /** An old-GNU sparse header followed by extension blocks. */
  sparseExtended: boolean;
}

const MAGIC_OFFSET = 257;

export function isZeroBlock(block: Buffer): boolean {
  for (let i = 0; i < BLOCK_SIZE; i++) if (block[i] !== 0) return false;
  return true;
}

/** Decodes one non-zero header block; throws a LayerFormatError when it is not a tar header. */
export function decodeHeader(block: Buffer): RawHeader {
  verifyChecksum(block);
  const magic = magicOf(block);
  const flagByte = block[156]!;
  const flag = flagByte === 0 ? '\u0000' : String.fromCharCode(flagByte);
  let name = cString(block, 0, 100);
  if (magic === 'ustar') {
    const prefix = cString(block, 345, 155);
    if (prefix !== '') name = `${prefix}/${name}`;
  }
  const dataSize = numeric(block, 124, 12, 'size');
  let type = typeOf(flag);
  // Pre-POSIX archives mark directories with a trailing slash only (Go's archive/tar does the same).
  if (flag === '\u0000' && name.endsWith('/')) type = 'directory';
  return {
    name,
    type,
    flag,
    size: hasBody(flag) ? dataSize : 0,
    dataSize: hasBody(flag) || isMetadata(flag) ? dataSize : 0,
    mode: numeric(block, 100, 8, 'mode'),
    linkname: cString(block, 157, 100),
    sparseExtended: flag === 'S' && magic === 'gnu' && block[482] !== 0,
  };
}

/** `ustar\0` (POSIX) or `ustar ` (GNU) at offset 257; anything else is a pre-POSIX (v7) header. */
function magicOf(block: Buffer): 'ustar' | 'gnu' | 'v7' {
  const m = MAGIC_OFFSET;
  if (
    block[m] !== 0x75 ||
    block[m + 1] !== 0x73 ||
    block[m + 2] !== 0x74 ||
    block[m + 3] !== 0x61 ||
    block[m + 4] !== 0x72
  ) {
    return 'v7';
  }
  if (block[m + 5] === 0) return 'ustar';
  return block[m + 5] === 0x20 ? 'gnu' : 'v7';
}

function typeOf(flag: string): TarEntryType {
  switch (flag) {
    case '0':
    case '\u0000':
    case '7':
      return 'file';
    case '1':
      return 'link';
    case '2':
      return 'symlink';
    case '5':
    case 'D':
      return 'directory';
    default:
      return 'other';
  }
}

/** Typeflags whose size field counts body bytes; links, directories and devices have none, whatever they claim. */
export function hasBody(flag: string): boolean {
  return !(flag === '1' || flag === '2' || flag === '3' || flag === '4' || flag === '5' || flag === '6');
}

export function isMetadata(flag: string): boolean {
  return flag === 'x' || flag === 'g' || flag === 'L' || flag === 'K';
}

/** Both sums are accepted, as historic tars computed the checksum over signed bytes. */
function verifyChecksum(block: Buffer): void {
  // The checksum field counts as eight spaces.
  let unsigned = 8 * 0x20;
  for (let i = 0; i < 148; i++) unsigned += block[i]!;
  for (let i = 156; i < BLOCK_SIZE; i++) unsigned += block[i]!;
  const stored = numeric(block, 148, 8, 'checksum');
  if (stored === unsigned) return;
  let signed = unsigned;
  for (let i = 0; i < BLOCK_SIZE; i++) if ((i < 148 || i >= 156) && block[i]! > 127) signed -= 256;
  if (stored !== signed) throw new LayerFormatError('tar data is corrupt: a header checksum does not match');
}

/** An octal field (space or NUL padded), or GNU base-256 when the high bit of the first byte is set. */
function numeric(block: Buffer, offset: number, length: number, field: string): number {
  const first = block[offset]!;
  if (first & 0x80) {
    if (first !== 0x80)
      throw new LayerFormatError(`tar data is corrupt: a negative or oversized ${field} field`);
    let value = 0;
    for (let i = offset + 1; i < offset + length; i++) value = value * 256 + block[i]!;
    if (!Number.isSafeInteger(value))
      throw new LayerFormatError(`tar data is corrupt: the ${field} field is too large`);
    return value;
  }
  let value = 0;
  let i = offset;
  const end = offset + length;
  while (i < end && (block[i] === 0x20 || block[i] === 0)) i++;
  for (; i < end; i++) {
    const c = block[i]!;
    if (c === 0x20 || c === 0) break;
    if (c < 0x30 || c > 0x37)
      throw new LayerFormatError(`tar data is corrupt: the ${field} field is not a number`);
    value = value * 8 + (c - 0x30);
  }
  return value;
}

function cString(block: Buffer, offset: number, length: number): string {
  let end = offset;
  const limit = offset + length;
  while (end < limit && block[end] !== 0) end++;
  return block.toString('utf8', offset, end);
}

/** PAX extended header records (`"%d %s=%s\n"`, POSIX.1-2001 pax format) that matter here. */
export interface PaxFields {
  path?: string;
  linkpath?: string;
  size?: number;
  /**
   * A GNU sparse file in PAX form (`GNU.sparse.*`): the header's name is a placeholder, the
   * real one is `GNU.sparse.name`, and the body is a sparse map with data, not the file.
   */
  sparse?: { name?: string };
}

export function decodePax(data: Buffer): PaxFields {
  const fields: PaxFields = {};
  let offset = 0;
  while (offset < data.length) {
    const space = data.indexOf(0x20, offset);
    if (space < 0) break;
    const length = Number(data.toString('latin1', offset, space));
    if (!Number.isSafeInteger(length) || length <= space - offset + 1 || offset + length > data.length) {
      throw new LayerFormatError('tar data is corrupt: a PAX record has an invalid length');
    }
    const record = data.toString('utf8', space + 1, offset + length - 1);
    offset += length;
    const equals = record.indexOf('=');
    if (equals < 0) continue;
    const key = record.slice(0, equals);
    const value = record.slice(equals + 1);
    if (key === 'path') fields.path = value;
    else if (key === 'linkpath') fields.linkpath = value;
    else if (key === 'GNU.sparse.name') fields.sparse = { ...fields.sparse, name: value };
    else if (key.startsWith('GNU.sparse.')) fields.sparse ??= {};
    else if (key === 'size') {
      const size = Number(value);
      if (!Number.isSafeInteger(size) || size < 0)
        throw new LayerFormatError('tar data is corrupt: a PAX size is invalid');
      fields.size = size;
    }
  }
  return fields;
}

/** A GNU long name or link (`L`/`K`): the data up to its first NUL. */
export function decodeLongName(data: Buffer): string {
  const end = data.indexOf(0);
  return data.toString('utf8', 0, end < 0 ? data.length : end);
}
