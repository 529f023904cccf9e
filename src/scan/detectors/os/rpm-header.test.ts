import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { encodeRpmHeader, type RpmHeaderEntry } from '../../../../test/fixtures/rpm-header.js';
import { ALMALINUX_9_PACKAGES, rpmPackageHeader } from '../../../../test/fixtures/rpmdb.js';
import { AppError } from '../../../kernel/index.js';
import { RpmHeader, RpmTag } from './rpm-header.js';
import { parseSourceRpm, readRpmRecord, rpmEvr } from './rpm-record.js';

function expectInvalid(fn: () => unknown): void {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe('SCAN_PACKAGE_DB_INVALID');
  }
}

describe('RpmHeader', () => {
  it('reads strings, arrays, i18n strings and integers', () => {
    const header = RpmHeader.parse(
      encodeRpmHeader([
        { tag: RpmTag.Name, value: { type: 'string', value: 'bash' } },
        {
          tag: RpmTag.Summary,
          value: { type: 'i18n-string', value: ['The GNU Bourne Again shell', 'Die GNU-Shell'] },
        },
        { tag: 1047, value: { type: 'string-array', value: ['bash', 'config(bash)', '/bin/sh'] } },
        { tag: RpmTag.Epoch, value: { type: 'int32', value: [2] } },
        { tag: 1030, value: { type: 'int16', value: [0o100644, 0o120777] } },
      ]),
    );
    expect(header.getString(RpmTag.Name)).toBe('bash');
    expect(header.getString(RpmTag.Summary)).toBe('The GNU Bourne Again shell');
    expect(header.getStrings(1047)).toEqual(['bash', 'config(bash)', '/bin/sh']);
    expect(header.getNumber(RpmTag.Epoch)).toBe(2);
    expect(header.getNumber(1030)).toBe(0o100644);
    expect(header.has(RpmTag.HeaderImmutable)).toBe(true);
    expect(header.getString(RpmTag.Version)).toBeUndefined();
    expectInvalid(() => header.getNumber(RpmTag.Name));
    expectInvalid(() => header.getString(RpmTag.Epoch));
  });

  it('lets install-time entries replace those of the immutable region', () => {
    const blob = encodeRpmHeader([{ tag: RpmTag.Vendor, value: { type: 'string', value: 'original' } }], {
      dribbles: [{ tag: RpmTag.Vendor, value: { type: 'string', value: 'replaced' } }],
    });
    expect(RpmHeader.parse(blob).getString(RpmTag.Vendor)).toBe('replaced');
  });

  it('reads legacy headers without a region', () => {
    const blob = encodeRpmHeader([{ tag: RpmTag.Name, value: { type: 'string', value: 'old' } }], {
      legacy: true,
    });
    const header = RpmHeader.parse(blob);
    expect(header.getString(RpmTag.Name)).toBe('old');
    expect(header.has(RpmTag.HeaderImmutable)).toBe(false);
  });

  it.each([
    ['empty', new Uint8Array(0), 'shorter than its intro'],
    ['no entries', Uint8Array.from([0, 0, 0, 0, 0, 0, 0, 0]), 'index length 0 out of range'],
    ['too many entries', Uint8Array.from([0, 1, 0, 0, 0, 0, 0, 0]), 'index length 65536 out of range'],
    [
      'data past the end',
      Uint8Array.from([0, 0, 0, 1, 0, 0, 1, 0, ...new Array<number>(16).fill(0)]),
      'but has 24',
    ],
  ])('refuses a header with %s', (_name, blob, message) => {
    expect(() => RpmHeader.parse(blob)).toThrowError(
      expect.objectContaining({ code: 'SCAN_PACKAGE_DB_INVALID', message: expect.stringContaining(message) }),
    );
  });

  it('refuses entries pointing outside the data or misaligned', () => {
    const blob = encodeRpmHeader([
      { tag: RpmTag.Name, value: { type: 'string', value: 'x' } },
      { tag: RpmTag.Epoch, value: { type: 'int32', value: [1] } },
    ]);
    const view = new DataView(blob.buffer, blob.byteOffset);
    const epochEntry = 8 + 2 * 16; // region entry, NAME, then EPOCH (sorted by tag)
    expect(view.getUint32(epochEntry)).toBe(RpmTag.Epoch);
    view.setInt32(epochEntry + 8, 1);
    expect(() => RpmHeader.parse(blob).getNumber(RpmTag.Epoch)).toThrowError(/not aligned/);
    view.setInt32(epochEntry + 8, 1 << 20);
    expect(() => RpmHeader.parse(blob).getNumber(RpmTag.Epoch)).toThrowError(/outside the \d+ data bytes/);
    const unterminated = encodeRpmHeader(
      [{ tag: RpmTag.Name, value: { type: 'bin', value: Uint8Array.from([65, 66]) } }],
      {
        legacy: true,
      },
    );
    new DataView(unterminated.buffer, unterminated.byteOffset).setUint32(8 + 4, 6);
    expect(() => RpmHeader.parse(unterminated).getString(RpmTag.Name)).toThrowError(/runs past the end/);
  });

  it('round-trips any header the encoder writes', () => {
    const value = fc.oneof(
      fc.string({ unit: 'grapheme' }).map((s) => ({ type: 'string' as const, value: s.replace(/\0/g, '') })),
      fc
        .array(
          fc.string().map((s) => s.replace(/\0/g, '')),
          { minLength: 1, maxLength: 4 },
        )
        .map((v) => ({ type: 'string-array' as const, value: v })),
      fc
        .array(fc.nat({ max: 0xffffffff }), { minLength: 1, maxLength: 4 })
        .map((v) => ({ type: 'int32' as const, value: v })),
      fc
        .array(fc.nat({ max: 0xffff }), { minLength: 1, maxLength: 4 })
        .map((v) => ({ type: 'int16' as const, value: v })),
    );
    const entries = fc.uniqueArray(fc.record({ tag: fc.integer({ min: 1000, max: 5200 }), value }), {
      selector: (e) => e.tag,
      minLength: 1,
      maxLength: 12,
    });
    fc.assert(
      fc.property(entries, fc.boolean(), (list: RpmHeaderEntry[], legacy) => {
        const header = RpmHeader.parse(encodeRpmHeader(list, { legacy }));
        for (const { tag, value: v } of list) {
          if (v.type === 'string') expect(header.getString(tag)).toBe(v.value);
          if (v.type === 'string-array') expect(header.getStrings(tag)).toEqual(v.value);
          if (v.type === 'int32' || v.type === 'int16') expect(header.getNumber(tag)).toBe(v.value[0]);
        }
      }),
    );
  });

  it('fails only with SCAN_PACKAGE_DB_INVALID on damaged headers', () => {
    const base = rpmPackageHeader(ALMALINUX_9_PACKAGES[3]!);
    const indexEnd = 8 + new DataView(base.buffer, base.byteOffset).getUint32(0) * 16;
    // Damage the index (tags, types, offsets, counts) more often than the data.
    const position = fc.oneof(fc.nat({ max: indexEnd - 1 }), fc.nat({ max: base.length - 1 }));
    const damage = fc.array(fc.record({ at: position, byte: fc.nat({ max: 255 }) }), {
      minLength: 1,
      maxLength: 8,
    });
    const readAll = (blob: Uint8Array) => {
      const header = RpmHeader.parse(blob);
      for (const tag of [
        RpmTag.Name,
        RpmTag.Version,
        RpmTag.Release,
        RpmTag.Arch,
        RpmTag.License,
        RpmTag.SourceRpm,
      ]) {
        header.getString(tag);
      }
      header.getNumber(RpmTag.Epoch);
      header.getNumber(1006);
      header.getStrings(1047);
      header.getStrings(RpmTag.Summary);
    };
    fc.assert(
      fc.property(damage, fc.option(fc.nat({ max: base.length - 1 }), { freq: 4 }), (edits, cut) => {
        const blob = base.slice(0, cut ?? base.length);
        for (const { at, byte } of edits) if (at < blob.length) blob[at] = byte;
        expectInvalid(() => readAll(blob));
        expectInvalid(() => readRpmRecord(blob));
      }),
      { numRuns: 2000 },
    );
  });
});

describe('readRpmRecord', () => {
  it('reads the package fields, and nothing for public keys', () => {
    expect(readRpmRecord(rpmPackageHeader(ALMALINUX_9_PACKAGES[3]!))).toEqual({
      name: 'openssl-libs',
      version: '3.0.7',
      release: '27.el9',
      epoch: 1,
      architecture: 'x86_64',
      license: 'ASL 2.0',
      sourceRpm: 'openssl-3.0.7-27.el9.src.rpm',
    });
    expect(
      readRpmRecord(rpmPackageHeader(ALMALINUX_9_PACKAGES.find((p) => p.name === 'gpg-pubkey')!)),
    ).toBeUndefined();
  });

  it('refuses headers without a release', () => {
    const blob = encodeRpmHeader([
      { tag: RpmTag.Name, value: { type: 'string', value: 'x' } },
      { tag: RpmTag.Version, value: { type: 'string', value: '1' } },
    ]);
    expect(() => readRpmRecord(blob)).toThrowError(/rpm header of x has no RELEASE tag/);
  });

  it('writes epoch:version-release, without a zero epoch', () => {
    expect(rpmEvr({ name: 'a', version: '1.0', release: '2.el9', epoch: 3 })).toBe('3:1.0-2.el9');
    expect(rpmEvr({ name: 'a', version: '1.0', release: '2.el9', epoch: 0 })).toBe('1.0-2.el9');
    expect(rpmEvr({ name: 'a', version: '1.0', release: '2.el9' })).toBe('1.0-2.el9');
  });
});

describe('parseSourceRpm', () => {
  it.each([
    ['openssl-3.0.7-27.el9.src.rpm', { name: 'openssl', versionRelease: '3.0.7-27.el9' }],
    ['python3.9-3.9.18-3.el9_4.1.src.rpm', { name: 'python3.9', versionRelease: '3.9.18-3.el9_4.1' }],
    ['perl-IO-Socket-SSL-2.073-1.el9.src.rpm', { name: 'perl-IO-Socket-SSL', versionRelease: '2.073-1.el9' }],
    ['kernel-5.14.0-427.el9.nosrc.rpm', { name: 'kernel', versionRelease: '5.14.0-427.el9' }],
    ['openssl-3.0.7.src.rpm', undefined],
    ['-1-2.src.rpm', undefined],
    ['openssl-3.0.7-27.el9.x86_64.rpm', undefined],
    ['a--1.src.rpm', undefined],
  ])('splits %s', (fileName, expected) => {
    expect(parseSourceRpm(fileName)).toEqual(expected);
  });
});
