import { AppError, type ErrorCode, throwIfAborted } from '../../kernel/index.js';
import type { BlobFetcher } from '../../oci/content/index.js';
import type { Descriptor } from '../../oci/manifest/index.js';

export interface ReadBlobBytesOptions {
  maxBytes: number;
  /** What the blob is expected to hold, for the error message: `SBOM`, `VEX document`. */
  what: string;
  /** The error code of a blob over the bound (the area's "invalid document" code). */
  code: ErrorCode;
  signal?: AbortSignal;
}

/**
 * A small blob (an SBOM, an attestation, a VEX document) in memory. The store verifies digest
 * and size; the bound is checked against the descriptor first and again while reading, so
 * that a store that sends more than it described cannot make us hold more than `maxBytes`.
 */
export async function readBlobBytes(
  fetcher: BlobFetcher,
  descriptor: Descriptor,
  options: ReadBlobBytesOptions,
): Promise<Uint8Array> {
  const { maxBytes, signal } = options;
  if (descriptor.size > maxBytes) throw tooLarge(descriptor, options);
  throwIfAborted(signal);
  const stream = await fetcher.fetchBlob(descriptor, { signal });
  const chunks: Buffer[] = [];
  let total = 0;
  try {
    for await (const chunk of stream) {
      const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as Uint8Array);
      total += buffer.length;
      if (total > maxBytes) throw tooLarge(descriptor, options);
      chunks.push(buffer);
    }
  } finally {
    stream.destroy();
  }
  throwIfAborted(signal);
  return Buffer.concat(chunks, total);
}

function tooLarge(descriptor: Descriptor, options: ReadBlobBytesOptions): AppError {
  return new AppError(
    options.code,
    `blob ${descriptor.digest} (${descriptor.size} bytes) exceeds the ${options.what} size limit of ${options.maxBytes} bytes`,
    { details: { digest: descriptor.digest, size: descriptor.size, maxBytes: options.maxBytes } },
  );
}
