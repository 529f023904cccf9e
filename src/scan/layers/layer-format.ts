/**
 * Recognising a layer's compression by its first bytes. A layer's media type is a claim made by
 * whoever pushed it and is not always accurate, so the bytes decide, as containerd does
 * (`archive/compression.DetectCompression`).
 */

export type LayerFormat = 'gzip' | 'zstd' | 'tar';

export type SniffResult = { format: LayerFormat } | { format: undefined; description: string };

/** Bytes needed to tell a tar header (its `ustar` magic is at offset 257) from anything else. */
export const SNIFF_BYTES = 512;

const TAR_MAGIC_OFFSET = 257;

/** Formats recognised only to name them in the notice. */
const OTHER_FORMATS: { magic: number[]; name: string }[] = [
  { magic: [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00], name: 'xz' },
  { magic: [0x42, 0x5a, 0x68], name: 'bzip2' },
  { magic: [0x04, 0x22, 0x4d, 0x18], name: 'lz4' },
  { magic: [0x50, 0x4b, 0x03, 0x04], name: 'zip' },
];

export function sniffFormat(head: Buffer): SniffResult {
  if (head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b) return { format: 'gzip' };
  if (isZstdFrame(head)) return { format: 'zstd' };
  if (isTar(head)) return { format: 'tar' };
  for (const other of OTHER_FORMATS) {
    if (head.length >= other.magic.length && other.magic.every((byte, i) => head[i] === byte)) {
      return { format: undefined, description: `${other.name}-compressed data` };
    }
  }
  const hex = head.subarray(0, 8).toString('hex');
  return { format: undefined, description: `data of an unknown format (first bytes ${hex || 'none'})` };
}

/** A zstd frame (magic 0xFD2FB528, little-endian) or a skippable frame (0x184D2A50–5F). */
function isZstdFrame(head: Buffer): boolean {
  if (head.length < 4) return false;
  const magic = head.readUInt32LE(0);
  return magic === 0xfd2fb528 || (magic & 0xfffffff0) === 0x184d2a50;
}

/**
 * A POSIX/GNU tar header (`ustar\0` or `ustar ` at offset 257), an archive that is only its
 * end-of-archive zero blocks (an empty layer), or no bytes at all.
 */
function isTar(head: Buffer): boolean {
  if (head.length === 0) return true;
  if (
    head.length >= TAR_MAGIC_OFFSET + 5 &&
    head.toString('latin1', TAR_MAGIC_OFFSET, TAR_MAGIC_OFFSET + 5) === 'ustar'
  ) {
    return true;
  }
  return head.length >= SNIFF_BYTES && head.subarray(0, SNIFF_BYTES).every((byte) => byte === 0);
}
