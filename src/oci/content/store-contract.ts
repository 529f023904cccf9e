import { Writable, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { AppError, abortedError } from '../../kernel/index.js';
import type { Descriptor, Manifest } from '../manifest/index.js';

/**
 * Rules shared by the content-store implementations (memory, OCI layout), so that every
 * store answers the same inputs the same way and the copy engine can treat them alike.
 */

/**
 * Largest manifest a store accepts or returns unless configured otherwise: 4 MiB is the
 * limit of CNCF distribution and most registries, so a larger manifest would not survive
 * a copy to them anyway, and the bound keeps a hostile source from exhausting memory.
 */
export const DEFAULT_MAX_MANIFEST_BYTES = 4 * 1024 * 1024;

// distribution-spec v1.1 "Pulling manifests": a tag is [a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}.
const TAG_GRAMMAR = /^[a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}$/;

export function isTag(value: string): boolean {
  return TAG_GRAMMAR.test(value);
}

/** Throws OCI_TAG_INVALID, explaining the grammar, for a string that cannot be a tag. */
export function assertTag(tag: string): void {
  if (isTag(tag)) return;
  const shown = tag.length > 80 ? `${tag.slice(0, 77)}...` : tag;
  throw new AppError(
    'OCI_TAG_INVALID',
    `invalid tag "${shown}": a tag is 1 to 128 characters of letters, digits, "_", "." and "-", and must not start with "." or "-"`,
    { details: { tag: shown } },
  );
}

/**
 * The descriptor of a manifest as a referrers list shows it (distribution-spec v1.1
 * "Listing Referrers"): `artifactType` is the manifest's own `artifactType`, or else its
 * config's media type; `annotations` are the manifest's annotations.
 */
export function referrerDescriptorOf(manifest: Manifest): Descriptor {
  const { mediaType, digest, size } = manifest.descriptor;
  const own = manifest.kind === 'index' ? manifest.index : manifest.image;
  const descriptor: Descriptor = { mediaType, digest, size };
  const artifactType =
    own.artifactType ?? (manifest.kind === 'image' ? manifest.image.config.mediaType : undefined);
  if (artifactType) descriptor.artifactType = artifactType;
  if (own.annotations && Object.keys(own.annotations).length > 0)
    descriptor.annotations = { ...own.annotations };
  return descriptor;
}

export interface DrainOptions {
  signal?: AbortSignal;
}

/** Reads a stream to its end and discards it (pushing content the store already holds). */
export async function drainStream(content: Readable, options: DrainOptions = {}): Promise<void> {
  const sink = new Writable({ write: (_chunk, _encoding, callback) => callback() });
  try {
    await pipeline(content, sink, { signal: options.signal });
  } catch (error) {
    throw abortedOr(error, options.signal);
  }
}

/** The error to report for a failed stream operation: ABORTED when the caller's signal fired. */
export function abortedOr(error: unknown, signal: AbortSignal | undefined): unknown {
  return signal?.aborted ? abortedError(signal) : error;
}
