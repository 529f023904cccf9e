import { describe, expect, it } from 'vitest';
import { buildGoElf, frameModinfo, inlineBuildInfo } from '../testing/go-elf.js';
import { buildGoMachO, buildGoPe } from '../testing/go-pe-macho.js';
import { decodeUvarint, probeGoBuildInfo } from './buildinfo-probe.js';

const MODINFO = [
  'path\texample.com/app/cmd/app',
  'mod\texample.com/app\tv1.4.0\th1:AAAA=',
  'dep\tgolang.org/x/net\tv0.17.0\th1:BBBB=',
  'dep\tgithub.com/old/dep\tv1.0.0',
  '=>\tgithub.com/new/dep\tv1.1.0\th1:CCCC=',
  'build\t-compiler=gc',
  '',
].join('\n');

/** Streams `bytes` in chunks of `size`, counting how many chunks the consumer pulled. */
function chunked(bytes: Buffer, size: number): AsyncIterable<Buffer> & { pulled: number } {
  const stream = {
    pulled: 0,
    async *[Symbol.asyncIterator]() {
      for (let offset = 0; offset < bytes.length; offset += size) {
        stream.pulled++;
        yield bytes.subarray(offset, offset + size);
      }
    },
  };
  return stream;
}

describe('probeGoBuildInfo', () => {
  it.each([1, 7, 31, 4096, 65536, 1 << 24])(
    'reads the Go ≥ 1.18 inline layout in %i-byte chunks',
    async (size) => {
      const elf = buildGoElf({ goVersion: 'go1.21.3', modinfo: MODINFO, textBytes: 5000 });
      await expect(probeGoBuildInfo(chunked(elf, size))).resolves.toEqual({
        kind: 'go-buildinfo',
        format: 'elf',
        goVersion: 'go1.21.3',
        modinfo: MODINFO,
      });
    },
  );

  it.each([
    ['64-bit little-endian', 64, false],
    ['32-bit big-endian', 32, true],
  ] as const)('reads the inline layout of %s executables', async (_name, elfClass, bigEndian) => {
    const elf = buildGoElf({ goVersion: 'go1.22.0', modinfo: MODINFO, elfClass, bigEndian });
    const result = await probeGoBuildInfo(chunked(elf, 100));
    expect(result).toMatchObject({ kind: 'go-buildinfo', goVersion: 'go1.22.0', modinfo: MODINFO });
  });

  it.each([
    ['64-bit little-endian', 64, false],
    ['32-bit big-endian', 32, true],
  ] as const)(
    'resolves the pre-1.18 pointer layout of %s executables from bytes already streamed past',
    async (_n, elfClass, bigEndian) => {
      const decoys = ['go1.99.9 not this one', frameModinfo('path\tdecoy\nmod\tdecoy\tv9.9.9\t\n'), 'go1.1'];
      const elf = buildGoElf({
        goVersion: 'go1.16.15',
        modinfo: MODINFO,
        layout: 'pointers',
        elfClass,
        bigEndian,
        rodataDecoys: decoys,
        textBytes: 200_000,
      });
      for (const size of [3, 4096, 65536]) {
        await expect(probeGoBuildInfo(chunked(elf, size))).resolves.toEqual({
          kind: 'go-buildinfo',
          format: 'elf',
          goVersion: 'go1.16.15',
          modinfo: MODINFO,
        });
      }
    },
  );

  it.each([
    ['pe', buildGoPe],
    ['macho', buildGoMachO],
  ] as const)('reads the build info of %s executables', async (format, build) => {
    const file = build('go1.22.1', MODINFO);
    for (const size of [5, 65536]) {
      await expect(probeGoBuildInfo(chunked(file, size))).resolves.toEqual({
        kind: 'go-buildinfo',
        format,
        goVersion: 'go1.22.1',
        modinfo: MODINFO,
      });
    }
  });

  it('says so when a pointer names bytes it did not keep, and when candidates overflowed', async () => {
    const elf = buildGoElf({ goVersion: 'go1.16.15', modinfo: MODINFO, layout: 'pointers' });
    elf.write('xx', elf.indexOf(Buffer.from('go1.16.15')), 'latin1');
    await expect(probeGoBuildInfo(chunked(elf, 4096))).resolves.toEqual({
      kind: 'go-buildinfo-unreadable',
      format: 'elf',
      reason: 'the strings its pointers name could not be read',
    });
    const flooded = buildGoElf({
      goVersion: 'go1.16.15',
      modinfo: MODINFO,
      layout: 'pointers',
      rodataDecoys: ['go1.'.repeat(5000)],
    });
    const result = await probeGoBuildInfo(chunked(flooded, 65536));
    expect(result?.kind === 'go-buildinfo-unreadable' && result.reason).toMatch(
      /more candidate strings than are remembered/,
    );
  });

  it('reports a GOPATH build (no module info) with its Go version and empty module info', async () => {
    const elf = buildGoElf({ goVersion: 'go1.15.2', modinfo: '', layout: 'pointers' });
    await expect(probeGoBuildInfo(chunked(elf, 64))).resolves.toMatchObject({
      goVersion: 'go1.15.2',
      modinfo: '',
    });
  });

  it('ignores the magic in read-only data, where cmd/go itself carries it, and finds the real blob', async () => {
    const decoy = inlineBuildInfo('go1.0.0', 'path\tdecoy\nmod\tdecoy\tv0.0.1\t\n');
    const elf = buildGoElf({ goVersion: 'go1.21.0', modinfo: MODINFO, rodataDecoys: [decoy] });
    await expect(probeGoBuildInfo(chunked(elf, 512))).resolves.toMatchObject({
      goVersion: 'go1.21.0',
      modinfo: MODINFO,
    });
  });

  it('gives up on a script after its first chunk', async () => {
    const script = Buffer.concat([Buffer.from('#!/bin/sh\n'), Buffer.alloc(1 << 20, 0x20)]);
    const stream = chunked(script, 65536);
    await expect(probeGoBuildInfo(stream)).resolves.toBeUndefined();
    expect(stream.pulled).toBe(1);
  });

  it('finds nothing in an ELF file without build info (a C program)', async () => {
    const elf = buildGoElf({ goVersion: 'go1.21.0', modinfo: MODINFO });
    const index = elf.indexOf(Buffer.from('\xff Go buildinf:', 'latin1'));
    elf.fill(0, index, index + 32);
    await expect(probeGoBuildInfo(chunked(elf, 4096))).resolves.toBeUndefined();
  });

  it('stops reading once the build info is found', async () => {
    const elf = Buffer.concat([
      buildGoElf({ goVersion: 'go1.21.0', modinfo: MODINFO }),
      Buffer.alloc(4 << 20),
    ]);
    const stream = chunked(elf, 65536);
    await expect(probeGoBuildInfo(stream)).resolves.toMatchObject({ kind: 'go-buildinfo' });
    expect(stream.pulled).toBe(1);
  });

  it('says why when the file ends inside the module info', async () => {
    const elf = buildGoElf({ goVersion: 'go1.21.0', modinfo: MODINFO });
    const cut = elf.lastIndexOf(Buffer.from('golang.org/x/net'));
    await expect(probeGoBuildInfo(chunked(elf.subarray(0, cut), 64))).resolves.toEqual({
      kind: 'go-buildinfo-unreadable',
      format: 'elf',
      reason: 'module information is cut off by the end of the file',
    });
  });

  it('refuses a length prefix beyond the module-info bound instead of reading it', async () => {
    const elf = buildGoElf({ goVersion: 'go1.21.0', modinfo: MODINFO });
    const at = elf.lastIndexOf(Buffer.from('go1.21.0')) + 'go1.21.0'.length;
    const huge = Buffer.from([0x80, 0x80, 0x80, 0x80, 0x01]); // 2^28
    const hostile = Buffer.concat([elf.subarray(0, at), huge, elf.subarray(at + 2)]);
    const result = await probeGoBuildInfo(chunked(hostile, 4096));
    expect(result).toMatchObject({ kind: 'go-buildinfo-unreadable' });
    expect(result?.kind === 'go-buildinfo-unreadable' && result.reason).toMatch(
      /268435456 bytes, more than the 4194304 read/,
    );
  });

  it('treats truncated headers as not an executable', async () => {
    const elf = buildGoElf({ goVersion: 'go1.21.0', modinfo: MODINFO });
    await expect(probeGoBuildInfo(chunked(elf.subarray(0, 40), 8))).resolves.toBeUndefined();
  });
});

describe('decodeUvarint', () => {
  it.each([
    [[0x00], 0, 1],
    [[0x7f], 127, 1],
    [[0x80, 0x01], 128, 2],
    [[0xac, 0x02], 300, 2],
  ])('%j → %i', (bytes, value, length) => {
    expect(decodeUvarint(Buffer.from(bytes))).toEqual({ value, bytes: length });
  });

  it('rejects an unterminated varint', () => {
    expect(decodeUvarint(Buffer.from([0x80, 0x80]))).toBeUndefined();
  });
});
