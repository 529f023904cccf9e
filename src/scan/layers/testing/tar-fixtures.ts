/**
 * Layers for tests, built by code: tars written with tar-stream (whiteouts, hard links and
 * hostile names included, which test/fixtures' makeLayer rightly refuses), ustar headers for
 * entries whose bodies are generated on the fly (gigabytes that are never held), and zstd
 * frames made of raw and RLE blocks (RFC 8878 §3.1.1.2), so that no zstd encoder is needed.
 */
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { pack } from 'tar-stream';
import { digestOf } from '../../../kernel/index.js';
import type { LayerSource } from '../types.js';

export interface TarEntry {
  name: string;
  type?: 'file' | 'directory' | 'symlink' | 'link' | 'fifo' | 'character-device';
  content?: string | Buffer;
  linkname?: string;
  mode?: number;
}

/** A tar of the entries, in order, exactly as given (no parent directories added). */
export async function tarOf(entries: readonly TarEntry[]): Promise<Buffer> {
  const archive = pack();
  const chunks: Buffer[] = [];
  const collected = (async () => {
    for await (const chunk of archive) chunks.push(chunk as Buffer);
  })();
  for (const entry of entries) {
    const type = entry.type ?? 'file';
    const header = {
      name: entry.name,
      type,
      mode: entry.mode ?? (type === 'directory' ? 0o755 : 0o644),
      mtime: new Date(0),
      ...(entry.linkname === undefined ? {} : { linkname: entry.linkname }),
    };
    if (type === 'file') archive.entry(header, Buffer.from(entry.content ?? ''));
    else archive.entry(header);
  }
  archive.finalize();
  await collected;
  return Buffer.concat(chunks);
}

const BLOCK = 512;

export interface RawTarHeader {
  name: string;
  /** Typeflag character; defaults to '0' (regular file). */
  flag?: string;
  size?: number;
  mode?: number;
  linkname?: string;
  /** `ustar` (POSIX, default), `gnu` (`ustar  `) or `v7` (no magic). */
  format?: 'ustar' | 'gnu' | 'v7';
  /** POSIX ustar name prefix. */
  prefix?: string;
  /** Writes the size in GNU base-256 form. */
  base256?: boolean;
  /** Bytes to set after the checksum is computed, to corrupt it. */
  corrupt?: boolean;
  /** Old GNU sparse header: whether extension blocks follow (byte 482). */
  sparseExtended?: boolean;
}

/** One 512-byte tar header block, written field by field (POSIX.1-1988 ustar, GNU, v7). */
export function tarHeader(options: RawTarHeader): Buffer {
  const header = Buffer.alloc(BLOCK);
  header.write(options.name, 0, 100, 'utf8');
  header.write(octal(options.mode ?? 0o644, 8), 100);
  header.write(octal(0, 8), 108);
  header.write(octal(0, 8), 116);
  const size = options.size ?? 0;
  if (options.base256) {
    header[124] = 0x80;
    let value = size;
    for (let i = 135; i > 124; i--) {
      header[i] = value % 256;
      value = Math.floor(value / 256);
    }
  } else {
    header.write(octal(size, 12), 124);
  }
  header.write(octal(0, 12), 136);
  header.write(options.flag ?? '0', 156, 'latin1');
  if (options.linkname !== undefined) header.write(options.linkname, 157, 100, 'utf8');
  const format = options.format ?? 'ustar';
  if (format === 'ustar') header.write('ustar\u000000', 257, 'latin1');
  if (format === 'gnu') header.write('ustar  \u0000', 257, 'latin1');
  if (options.prefix !== undefined) header.write(options.prefix, 345, 155, 'utf8');
  if (options.sparseExtended) header[482] = 1;
  header.write('        ', 148);
  let sum = 0;
  for (const byte of header) sum += byte;
  header.write(`${sum.toString(8).padStart(6, '0')}\u0000 `, 148, 'latin1');
  if (options.corrupt) header[0] = (header[0]! + 1) % 256;
  return header;
}

/** A ustar header for a regular file, for bodies generated as they stream. */
export function ustarHeader(name: string, size: number, mode = 0o644): Buffer {
  return tarHeader({ name, size, mode });
}

/** An entry's data padded to whole blocks. */
export function padded(data: Buffer | string): Buffer {
  const bytes = Buffer.from(data);
  const padding = (BLOCK - (bytes.length % BLOCK)) % BLOCK;
  return Buffer.concat([bytes, Buffer.alloc(padding)]);
}

/** PAX extended header records (`"%d key=value\n"`, the length counting itself). */
export function paxRecords(fields: Record<string, string>): Buffer {
  const records = Object.entries(fields).map(([key, value]) => {
    const body = ` ${key}=${value}\n`;
    let length = Buffer.byteLength(body) + 1;
    while (String(length).length + Buffer.byteLength(body) !== length) length++;
    return `${length}${body}`;
  });
  return Buffer.from(records.join(''));
}

/** The end-of-archive marker: two zero blocks. */
export const END_OF_ARCHIVE = Buffer.alloc(2 * BLOCK);

function octal(value: number, width: number): string {
  return `${value.toString(8).padStart(width - 1, '0')}\u0000`;
}

export interface StreamedFile {
  name: string;
  /** Size of a generated body; ignored when `content` is given. */
  size?: number;
  content?: Buffer;
  mode?: number;
  /** The byte at each offset; defaults to zeros. */
  fill?: (chunk: Buffer, offset: number) => void;
}

/** A tar whose file bodies are generated chunk by chunk; zero bodies reuse one buffer. */
export async function* streamedTar(
  files: readonly StreamedFile[],
  chunkSize = 64 * 1024,
): AsyncGenerator<Buffer> {
  const zeros = Buffer.alloc(chunkSize);
  for (const file of files) {
    const size = file.content?.length ?? file.size ?? 0;
    yield ustarHeader(file.name, size, file.mode);
    if (file.content !== undefined && size > 0) yield file.content;
    for (let offset = 0; file.content === undefined && offset < size; offset += chunkSize) {
      const length = Math.min(chunkSize, size - offset);
      if (file.fill === undefined) {
        yield zeros.subarray(0, length);
        continue;
      }
      const chunk = Buffer.alloc(length);
      file.fill(chunk, offset);
      yield chunk;
    }
    const padding = (BLOCK - (size % BLOCK)) % BLOCK;
    if (padding > 0) yield Buffer.alloc(padding);
  }
  yield Buffer.alloc(2 * BLOCK);
}

/** Gzip, as nearly every registry layer is compressed. */
export function gzipOf(tar: Buffer): Buffer {
  return gzipSync(tar);
}

const ZSTD_MAGIC = Buffer.from([0x28, 0xb5, 0x2f, 0xfd]);
/** Frame header descriptor 0 (no content size, no checksum), window 128 KiB (exponent 7). */
const ZSTD_FRAME_HEADER = Buffer.from([0x00, 7 << 3]);
const ZSTD_MAX_BLOCK = 128 * 1024;

/** A zstd frame storing `data` in raw blocks. */
export function zstdOf(data: Buffer): Buffer {
  const parts: Buffer[] = [ZSTD_MAGIC, ZSTD_FRAME_HEADER];
  if (data.length === 0) parts.push(zstdBlockHeader(true, 0, 0));
  for (let offset = 0; offset < data.length; offset += ZSTD_MAX_BLOCK) {
    const block = data.subarray(offset, offset + ZSTD_MAX_BLOCK);
    parts.push(zstdBlockHeader(offset + block.length >= data.length, 0, block.length), block);
  }
  return Buffer.concat(parts);
}

/**
 * A zstd bomb: a raw block with `prefix` (a tar header), then `blocks` RLE blocks of 128 KiB
 * of zeros, 4 bytes each.
 */
export function* zstdRleBomb(prefix: Buffer, blocks: number): Generator<Buffer> {
  yield Buffer.concat([ZSTD_MAGIC, ZSTD_FRAME_HEADER, zstdBlockHeader(false, 0, prefix.length), prefix]);
  const rle = Buffer.concat([zstdBlockHeader(false, 1, ZSTD_MAX_BLOCK), Buffer.from([0])]);
  const batch = Buffer.concat(Array.from({ length: 1024 }, () => rle));
  for (let done = 0; done < blocks; done += 1024)
    yield batch.subarray(0, Math.min(1024, blocks - done) * rle.length);
  yield Buffer.concat([zstdBlockHeader(true, 1, BLOCK), Buffer.from([0])]);
}

function zstdBlockHeader(last: boolean, type: 0 | 1, size: number): Buffer {
  const value = (last ? 1 : 0) | (type << 1) | (size << 3);
  return Buffer.from([value & 0xff, (value >> 8) & 0xff, (value >> 16) & 0xff]);
}

/** A layer whose blob is `bytes`, delivered in chunks of `chunkSize`. */
export function layerOf(
  bytes: Buffer,
  mediaType = 'application/vnd.oci.image.layer.v1.tar+gzip',
  chunkSize = 64 * 1024,
): LayerSource {
  return {
    descriptor: { mediaType, digest: digestOf(bytes), size: bytes.length },
    open: () => {
      const chunks: Buffer[] = [];
      for (let offset = 0; offset < bytes.length; offset += chunkSize)
        chunks.push(bytes.subarray(offset, offset + chunkSize));
      return Promise.resolve(Readable.from(chunks));
    },
  };
}

/** A layer whose blob is generated on every open; its digest is made up. */
export function streamedLayer(
  generate: () => AsyncIterable<Buffer> | Iterable<Buffer> | Readable,
  mediaType = 'application/vnd.oci.image.layer.v1.tar',
): LayerSource {
  return {
    descriptor: { mediaType, digest: digestOf(mediaType + String(generate)), size: -1 },
    open: () => {
      const produced = generate();
      return Promise.resolve(
        produced instanceof Readable ? produced : Readable.from(produced, { objectMode: false }),
      );
    },
  };
}
