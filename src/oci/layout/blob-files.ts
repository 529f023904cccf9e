import { createWriteStream } from 'node:fs';
import { open, readFile, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { addAbortSignal, pipeline as pipelineCallback, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { DigestVerifier, OciError, type Digest } from '../../kernel/index.js';
import type { Descriptor } from '../manifest/index.js';
import { commitFile, errnoOf, layoutIoError, removeQuietly, temporaryPath } from './file-io.js';
import { BLOBS_DIRECTORY, blobPath } from './layout-files.js';

/**
 * Blob files of a layout. Content is streamed through a digest verifier into a temporary
 * file in `blobs/` (hidden, so that tools listing `blobs/<algorithm>/` never see it), synced
 * and renamed into place only once it verified: memory stays flat whatever the blob size,
 * and `blobs/<algorithm>/<encoded>` only ever holds complete, verified content. A push cut
 * short by a crash can leave a `blobs/.ingest-*.tmp` file, which is safe to delete.
 */

export interface BlobFileOptions {
  signal?: AbortSignal;
}

/** Streams verified content into `blobs/`; a mismatch or cancellation leaves nothing behind. */
export async function writeBlobFile(
  root: string,
  descriptor: Descriptor,
  content: Readable,
  options: BlobFileOptions = {},
): Promise<void> {
  const { signal } = options;
  const target = blobPath(root, descriptor.digest);
  const verifier = new DigestVerifier(descriptor);
  const temporary = temporaryPath(join(root, BLOBS_DIRECTORY), 'ingest');
  // flush: fsync before close, so that the rename never exposes a blob whose data is not on disk.
  const sink = createWriteStream(temporary, { flags: 'wx', mode: 0o644, flush: true });
  try {
    await pipeline(content, verifier, sink, { signal });
    await commitFile(temporary, target);
  } catch (error) {
    content.destroy();
    // A stream destroyed while still opening creates its file afterwards: remove it only once closed.
    if (!sink.closed) await new Promise<void>((resolve) => sink.once('close', () => resolve()));
    await removeQuietly(temporary);
    throw layoutIoError(error, 'write blob', target, signal);
  }
}

/**
 * Opens a blob for reading, verified against its descriptor while it streams; a corrupt
 * file fails before its last byte. Returns undefined when the blob is absent.
 */
export async function openBlobFile(
  root: string,
  descriptor: Descriptor,
  options: BlobFileOptions = {},
): Promise<Readable | undefined> {
  const path = blobPath(root, descriptor.digest);
  const verifier = new DigestVerifier(descriptor);
  let source: Readable;
  try {
    source = (await open(path, 'r')).createReadStream();
  } catch (error) {
    if (errnoOf(error) === 'ENOENT') return undefined;
    throw layoutIoError(error, 'read blob', path, options.signal);
  }
  pipelineCallback(source, verifier, () => {});
  return options.signal ? addAbortSignal(options.signal, verifier) : verifier;
}

/**
 * Reads a blob into memory when it is at most `limit` bytes; returns undefined when it is
 * absent and throws OCI_MANIFEST_TOO_LARGE when it is larger (manifests only pass here).
 */
export async function readSmallBlobFile(
  root: string,
  digest: Digest,
  limit: number,
  options: BlobFileOptions = {},
): Promise<Buffer | undefined> {
  const path = blobPath(root, digest);
  try {
    const { size } = await stat(path);
    if (size > limit) {
      throw new OciError(
        'OCI_MANIFEST_TOO_LARGE',
        `manifest ${digest} in ${root} is ${size} bytes, more than the limit of ${limit} bytes`,
        {
          registry: root,
          digest,
        },
      );
    }
    return await readFile(path, { signal: options.signal });
  } catch (error) {
    if (errnoOf(error) === 'ENOENT') return undefined;
    throw layoutIoError(error, 'read', path, options.signal);
  }
}

/** Removes a blob file; returns false when there was none. */
export async function removeBlobFile(
  root: string,
  digest: Digest,
  options: BlobFileOptions = {},
): Promise<boolean> {
  const path = blobPath(root, digest);
  try {
    await unlink(path);
    return true;
  } catch (error) {
    if (errnoOf(error) === 'ENOENT') return false;
    throw layoutIoError(error, 'delete', path, options.signal);
  }
}
