import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { AppError, parseDigest, type Digest } from '../../kernel/index.js';
import { MediaType } from '../mediatype/index.js';
import { parseManifest, type ImageIndex } from '../manifest/index.js';
import { errnoOf, fileExists, layoutIoError, writeFileAtomic, type FileIoOptions } from './file-io.js';

/**
 * The fixed files of an OCI image layout (image-spec v1.1 image-layout.md): `oci-layout`
 * with the layout version, `index.json` naming the top-level manifests, and
 * `blobs/<algorithm>/<encoded>` holding all content.
 */

export const LAYOUT_FILE = 'oci-layout';
export const INDEX_FILE = 'index.json';
export const BLOBS_DIRECTORY = 'blobs';
/** The only version image-spec v1.1 defines. */
export const IMAGE_LAYOUT_VERSION = '1.0.0';

const EMPTY_INDEX: ImageIndex = { schemaVersion: 2, mediaType: MediaType.OciIndex, manifests: [] };
const encoder = new TextEncoder();

export function blobPath(root: string, digest: Digest): string {
  const { algorithm, encoded } = parseDigest(digest);
  return join(root, BLOBS_DIRECTORY, algorithm, encoded);
}

/** Writes `oci-layout`, an empty `index.json` and `blobs/` where they are missing; existing files are kept. */
export async function createLayout(root: string, options: FileIoOptions = {}): Promise<void> {
  try {
    await mkdir(join(root, BLOBS_DIRECTORY), { recursive: true });
  } catch (error) {
    throw layoutIoError(error, 'create the layout directory', root, options.signal);
  }
  const layoutPath = join(root, LAYOUT_FILE);
  if (!(await fileExists(layoutPath, options))) {
    await writeFileAtomic(
      layoutPath,
      encoder.encode(JSON.stringify({ imageLayoutVersion: IMAGE_LAYOUT_VERSION })),
      options,
    );
  }
  const indexPath = join(root, INDEX_FILE);
  if (!(await fileExists(indexPath, options)))
    await writeFileAtomic(indexPath, encodeIndex(EMPTY_INDEX), options);
}

/** Checks `oci-layout`; the error names the file and the field that is wrong. */
export async function checkLayoutVersion(root: string, options: FileIoOptions = {}): Promise<void> {
  const path = join(root, LAYOUT_FILE);
  const json = parseJson(await readLayoutFile(root, path, options), path);
  if (!isObject(json)) throw invalid(path, undefined, 'must contain a JSON object');
  const version = json.imageLayoutVersion;
  if (version === undefined) throw invalid(path, 'imageLayoutVersion', 'is missing');
  if (version !== IMAGE_LAYOUT_VERSION) {
    throw invalid(
      path,
      'imageLayoutVersion',
      `is ${JSON.stringify(version)}; only ${IMAGE_LAYOUT_VERSION} is supported`,
    );
  }
}

/** Reads and validates `index.json` as an image index, keeping fields we do not interpret. */
export async function readIndexFile(root: string, options: FileIoOptions = {}): Promise<ImageIndex> {
  const path = join(root, INDEX_FILE);
  const bytes = await readLayoutFile(root, path, options);
  try {
    const parsed = parseManifest(bytes, { mediaType: MediaType.OciIndex });
    if (parsed.kind !== 'index') throw new AppError('OCI_MANIFEST_INVALID', 'it is not an image index');
    return parsed.index;
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    const field = typeof error.details.field === 'string' ? error.details.field : undefined;
    throw new AppError('OCI_LAYOUT_INVALID', `invalid ${path}: ${error.message}`, {
      cause: error,
      details: { file: path, ...(field ? { field } : {}) },
    });
  }
}

/** Replaces `index.json` atomically. */
export async function writeIndexFile(
  root: string,
  index: ImageIndex,
  options: FileIoOptions = {},
): Promise<void> {
  await writeFileAtomic(join(root, INDEX_FILE), encodeIndex(index), options);
}

function encodeIndex(index: ImageIndex): Uint8Array {
  return encoder.encode(JSON.stringify(index));
}

async function readLayoutFile(root: string, path: string, options: FileIoOptions): Promise<Buffer> {
  try {
    return await readFile(path, { signal: options.signal });
  } catch (error) {
    if (errnoOf(error) === 'ENOENT') {
      throw new AppError(
        'OCI_LAYOUT_INVALID',
        `${root} is not an OCI image layout: ${path} is missing (open it with create to make a new layout)`,
        {
          details: { file: path },
        },
      );
    }
    throw layoutIoError(error, 'read', path, options.signal);
  }
}

function parseJson(bytes: Buffer, path: string): unknown {
  try {
    return JSON.parse(bytes.toString('utf8'));
  } catch (error) {
    throw invalid(path, undefined, `is not valid JSON: ${(error as Error).message}`);
  }
}

function invalid(path: string, field: string | undefined, problem: string): AppError {
  const subject = field ? `${path}: field "${field}"` : path;
  return new AppError('OCI_LAYOUT_INVALID', `${subject} ${problem}`, {
    details: { file: path, ...(field ? { field } : {}) },
  });
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
