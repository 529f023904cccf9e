import { AppError } from '../../../kernel/index.js';

/**
 * The rpm header structure as the rpm database stores it: the header without its 8-byte
 * magic, i.e. intro (index length, data length), index entries and data store
 * (rpm.org, "RPM Package Header format"; tags from rpm's `rpmtag.h`). All integers are
 * big-endian. Every offset and count is checked against the blob: the bytes come from an
 * untrusted image.
 */

/** Header tags the detectors read. */
export const RpmTag = {
  HeaderImage: 61,
  HeaderSignatures: 62,
  HeaderImmutable: 63,
  Name: 1000,
  Version: 1001,
  Release: 1002,
  Epoch: 1003,
  Summary: 1004,
  Vendor: 1011,
  License: 1014,
  Arch: 1022,
  SourceRpm: 1044,
} as const;

export const RpmTagType = {
  Null: 0,
  Char: 1,
  Int8: 2,
  Int16: 3,
  Int32: 4,
  Int64: 5,
  String: 6,
  Bin: 7,
  StringArray: 8,
  I18nString: 9,
} as const;

/** rpm's own limits (`hdrblob` checks in rpm's header.c): 64 Ki entries, 256 MiB of data. */
const MAX_INDEX_ENTRIES = 0xffff;
const MAX_DATA_BYTES = 0x0fffffff;
const INTRO_BYTES = 8;
const ENTRY_BYTES = 16;

interface IndexEntry {
  tag: number;
  type: number;
  offset: number;
  count: number;
}

const utf8 = new TextDecoder('utf-8', { fatal: false });

export class RpmHeader {
  private readonly entries = new Map<number, IndexEntry>();
  private readonly data: Uint8Array;
  private readonly view: DataView;

  private constructor(blob: Uint8Array, indexLength: number, dataLength: number) {
    const view = new DataView(blob.buffer, blob.byteOffset, blob.byteLength);
    for (let i = 0; i < indexLength; i++) {
      const at = INTRO_BYTES + i * ENTRY_BYTES;
      const entry = {
        tag: view.getUint32(at),
        type: view.getUint32(at + 4),
        offset: view.getInt32(at + 8),
        count: view.getUint32(at + 12),
      };
      // Entries appended at install time ("dribbles") replace those of the immutable region.
      this.entries.set(entry.tag, entry);
    }
    const dataStart = INTRO_BYTES + indexLength * ENTRY_BYTES;
    this.data = blob.subarray(dataStart, dataStart + dataLength);
    this.view = new DataView(this.data.buffer, this.data.byteOffset, this.data.byteLength);
  }

  /** Parses a header blob; throws SCAN_PACKAGE_DB_INVALID when its intro does not fit the bytes. */
  static parse(blob: Uint8Array): RpmHeader {
    if (blob.byteLength < INTRO_BYTES)
      throw invalid(`header is ${blob.byteLength} bytes, shorter than its intro`);
    const view = new DataView(blob.buffer, blob.byteOffset, blob.byteLength);
    const indexLength = view.getUint32(0);
    const dataLength = view.getUint32(4);
    if (indexLength < 1 || indexLength > MAX_INDEX_ENTRIES)
      throw invalid(`index length ${indexLength} out of range`);
    if (dataLength > MAX_DATA_BYTES) throw invalid(`data length ${dataLength} out of range`);
    const needed = INTRO_BYTES + indexLength * ENTRY_BYTES + dataLength;
    if (needed > blob.byteLength) {
      throw invalid(
        `header declares ${needed} bytes (${indexLength} entries, ${dataLength} data bytes) but has ${blob.byteLength}`,
      );
    }
    return new RpmHeader(blob, indexLength, dataLength);
  }

  has(tag: number): boolean {
    return this.entries.has(tag);
  }

  /** A STRING tag, or the first string of a STRING_ARRAY or I18NSTRING (the `C` locale). */
  getString(tag: number): string | undefined {
    const entry = this.entries.get(tag);
    if (!entry) return undefined;
    if (entry.type === RpmTagType.String) return this.readStrings(entry, 1)[0];
    if (entry.type === RpmTagType.StringArray || entry.type === RpmTagType.I18nString) {
      return entry.count === 0 ? undefined : this.readStrings(entry, 1)[0];
    }
    throw invalid(`tag ${tag} has type ${entry.type}, not a string`);
  }

  getStrings(tag: number): string[] | undefined {
    const entry = this.entries.get(tag);
    if (!entry) return undefined;
    if (entry.type === RpmTagType.String) return this.readStrings(entry, 1);
    if (entry.type === RpmTagType.StringArray || entry.type === RpmTagType.I18nString) {
      return this.readStrings(entry, entry.count);
    }
    throw invalid(`tag ${tag} has type ${entry.type}, not a string array`);
  }

  /** The first value of an integer tag (INT8 … INT32; EPOCH is INT32). */
  getNumber(tag: number): number | undefined {
    const entry = this.entries.get(tag);
    if (!entry) return undefined;
    const size = INTEGER_SIZES[entry.type];
    if (size === undefined) throw invalid(`tag ${tag} has type ${entry.type}, not an integer`);
    if (entry.count < 1) return undefined;
    this.checkRange(entry, size, size);
    if (size === 1) return this.view.getUint8(entry.offset);
    if (size === 2) return this.view.getUint16(entry.offset);
    return this.view.getUint32(entry.offset);
  }

  private readStrings(entry: IndexEntry, count: number): string[] {
    this.checkRange(entry, 1, 0);
    const strings: string[] = [];
    let position = entry.offset;
    for (let i = 0; i < count; i++) {
      const end = this.data.indexOf(0, position);
      if (end < 0) throw invalid(`string of tag ${entry.tag} runs past the end of the data`);
      strings.push(utf8.decode(this.data.subarray(position, end)));
      position = end + 1;
    }
    return strings;
  }

  private checkRange(entry: IndexEntry, alignment: number, size: number): void {
    const { offset, tag } = entry;
    if (offset < 0 || offset + size > this.data.byteLength) {
      throw invalid(`tag ${tag} points at offset ${offset}, outside the ${this.data.byteLength} data bytes`);
    }
    if (offset % alignment !== 0)
      throw invalid(`tag ${tag} offset ${offset} is not aligned to ${alignment} bytes`);
  }
}

const INTEGER_SIZES: Partial<Record<number, 1 | 2 | 4>> = {
  [RpmTagType.Char]: 1,
  [RpmTagType.Int8]: 1,
  [RpmTagType.Int16]: 2,
  [RpmTagType.Int32]: 4,
};

function invalid(reason: string): AppError {
  return new AppError('SCAN_PACKAGE_DB_INVALID', `rpm header: ${reason}`, { details: { reason } });
}
