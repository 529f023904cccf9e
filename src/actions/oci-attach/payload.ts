import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { Readable } from 'node:stream';
import { createDigester } from '../../kernel/index.js';
import type { Target } from '../../oci/content/index.js';
import { type Descriptor, describeBytes } from '../../oci/manifest/index.js';
import { invalidInput } from '../support/failure.js';

/** The artifact's one layer: where its bytes come from and how it is described. */
export interface Payload {
  descriptor: Descriptor;
  open(): Readable;
}

/** OCI image-spec v1.1 annotations.md: the file name of a layer, as oras and cosign write it. */
const TITLE_ANNOTATION = 'org.opencontainers.image.title';

/** Inline content: strings as UTF-8 text, anything else as JSON. */
export function contentPayload(content: unknown, mediaType: string): Payload {
  const bytes = Buffer.from(typeof content === 'string' ? content : JSON.stringify(content), 'utf8');
  return { descriptor: describeBytes(bytes, mediaType), open: () => Readable.from([bytes]) };
}

/** A file of the worker's file system, hashed by streaming (it is never held in memory). */
export async function filePayload(path: string, mediaType: string, signal: AbortSignal): Promise<Payload> {
  let size: number;
  try {
    const info = await stat(path);
    if (!info.isFile()) throw invalidInput(`file: "${path}" is not a regular file`, { field: 'file' });
    size = info.size;
  } catch (error) {
    if ((error as { code?: string }).code === undefined) throw error;
    throw invalidInput(`file: cannot read "${path}": ${(error as Error).message}`, { field: 'file' });
  }
  const digester = createDigester('sha256');
  for await (const chunk of createReadStream(path, { signal })) digester.update(chunk as Buffer);
  const descriptor: Descriptor = {
    mediaType,
    digest: `sha256:${digester.digest('hex')}`,
    size,
    annotations: { [TITLE_ANNOTATION]: basename(path) },
  };
  return { descriptor, open: () => createReadStream(path) };
}

/** Pushes a blob unless the target already has it: a re-run after a crash uploads nothing twice. */
export async function pushMissing(
  target: Target,
  descriptor: Descriptor,
  open: () => Readable,
  signal: AbortSignal,
): Promise<boolean> {
  if (await target.blobExists(descriptor, { signal })) return false;
  await target.pushBlob(descriptor, open(), { signal });
  return true;
}
