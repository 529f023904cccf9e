import { deflateRawSync } from 'node:zlib';
import { zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { ZipFormatError, listZipEntries, readZipEntry } from './zip-reader.js';

const text = (value: string) => new Uint8Array(Buffer.from(value));

function entryText(zip: Uint8Array, name: string): string {
  const entry = listZipEntries(zip).find((e) => e.name === name);
  if (!entry) throw new Error(`no ${name}`);
  return Buffer.from(readZipEntry(zip, entry)).toString();
}

describe('zip reader', () => {
  const zip = zipSync({
    'a.txt': [text('stored bytes'), { level: 0 }],
    'dir/b.txt': [text('deflated '.repeat(100)), { level: 9 }],
    'empty/': new Uint8Array(0),
  });

  it('lists entries with their methods and sizes', () => {
    expect(listZipEntries(zip).map((e) => [e.name, e.method, e.size])).toEqual([
      ['a.txt', 0, 12],
      ['dir/b.txt', 8, 900],
      ['empty/', 8, 0],
    ]);
  });

  it('reads stored and deflated entries', () => {
    expect(entryText(zip, 'a.txt')).toBe('stored bytes');
    expect(entryText(zip, 'dir/b.txt')).toBe('deflated '.repeat(100));
  });

  it('reads an archive behind a launch script (shifted offsets)', () => {
    const script = Buffer.from('#!/bin/bash\nexec java -jar "$0" "$@"\n');
    const executable = Buffer.concat([script, zip]);
    expect(entryText(executable, 'dir/b.txt')).toBe('deflated '.repeat(100));
  });

  it('reads Zip64 sizes and offsets from the extra field', () => {
    expect(entryText(zip64Archive('big.txt', 'zip64 content'), 'big.txt')).toBe('zip64 content');
  });

  it('refuses what it cannot read with ZipFormatError', () => {
    expect(() => listZipEntries(Buffer.from('not a zip at all, just some text that is long enough'))).toThrow(
      ZipFormatError,
    );
    expect(() => listZipEntries(zip.subarray(0, zip.length - 30))).toThrow(/end of central directory/);
    const [stored] = listZipEntries(zip);
    expect(() => readZipEntry(zip, { ...stored!, flags: 1 })).toThrow(/encrypted/);
    expect(() => readZipEntry(zip, { ...stored!, method: 14 })).toThrow(/compression method 14/);
    expect(() => readZipEntry(zip, { ...stored!, localHeaderOffset: 5 })).toThrow(/local header/);
  });

  it('never inflates more than the declared size', () => {
    const [, deflated] = listZipEntries(zip);
    expect(() => readZipEntry(zip, { ...deflated!, size: 10 })).not.toThrow();
    expect(readZipEntry(zip, { ...deflated!, size: 10 }).length).toBe(10);
    expect(() => readZipEntry(zip, { ...deflated!, size: 5000 })).toThrow(/inflates to 900 bytes, not 5000/);
  });
});

/** A one-entry archive whose central directory uses Zip64 fields (APPNOTE 4.5.3, 4.3.14, 4.3.15). */
function zip64Archive(name: string, content: string): Buffer {
  const data = deflateRawSync(Buffer.from(content));
  const nameBytes = Buffer.from(name);
  const local = Buffer.alloc(30);
  local.writeUInt32LE(0x04034b50, 0);
  local.writeUInt16LE(45, 4);
  local.writeUInt16LE(8, 8);
  local.writeUInt32LE(data.length, 18);
  local.writeUInt32LE(content.length, 22);
  local.writeUInt16LE(nameBytes.length, 26);
  const extra = Buffer.alloc(28);
  extra.writeUInt16LE(0x0001, 0);
  extra.writeUInt16LE(24, 2);
  extra.writeBigUInt64LE(BigInt(content.length), 4);
  extra.writeBigUInt64LE(BigInt(data.length), 12);
  extra.writeBigUInt64LE(0n, 20);
  const central = Buffer.alloc(46);
  central.writeUInt32LE(0x02014b50, 0);
  central.writeUInt16LE(45, 4);
  central.writeUInt16LE(45, 6);
  central.writeUInt16LE(8, 10);
  central.writeUInt32LE(0xffffffff, 20);
  central.writeUInt32LE(0xffffffff, 24);
  central.writeUInt16LE(nameBytes.length, 28);
  central.writeUInt16LE(extra.length, 30);
  central.writeUInt32LE(0xffffffff, 42);
  const cdOffset = local.length + nameBytes.length + data.length;
  const cdSize = central.length + nameBytes.length + extra.length;
  const zip64End = Buffer.alloc(56);
  zip64End.writeUInt32LE(0x06064b50, 0);
  zip64End.writeBigUInt64LE(44n, 4);
  zip64End.writeBigUInt64LE(1n, 24);
  zip64End.writeBigUInt64LE(1n, 32);
  zip64End.writeBigUInt64LE(BigInt(cdSize), 40);
  zip64End.writeBigUInt64LE(BigInt(cdOffset), 48);
  const locator = Buffer.alloc(20);
  locator.writeUInt32LE(0x07064b50, 0);
  locator.writeBigUInt64LE(BigInt(cdOffset + cdSize), 8);
  locator.writeUInt32LE(1, 16);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(0xffff, 8);
  end.writeUInt16LE(0xffff, 10);
  end.writeUInt32LE(0xffffffff, 12);
  end.writeUInt32LE(0xffffffff, 16);
  return Buffer.concat([local, nameBytes, data, central, nameBytes, extra, zip64End, locator, end]);
}
