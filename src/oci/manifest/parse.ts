import { AppError, digestOf, isDigest } from '../../kernel/index.js';
import {
  MediaType,
  isImageManifestMediaType,
  isIndexMediaType,
  isSchema1MediaType,
  normalizeMediaType,
} from '../mediatype/index.js';
import type { Descriptor, ImageIndex, ImageManifest, Manifest } from './types.js';

export interface ParseManifestOptions {
  /** The media type the registry declared (Content-Type) or the descriptor carried. */
  mediaType?: string;
  /** The digest the bytes must have; computed when absent. */
  digest?: string;
  /** Names the manifest in error messages (a reference or a file path). */
  source?: string;
}

const decoder = new TextDecoder('utf-8', { fatal: true });

/**
 * Parses manifest bytes into a typed view without changing the bytes. The media type is
 * taken from the manifest's own `mediaType` field, else from the declared one, else from
 * its shape (`manifests` → index, `config`+`layers` → image), as registries and clients do.
 * Docker schema 1 is refused with an explanation.
 */
export function parseManifest(bytes: Uint8Array, options: ParseManifestOptions = {}): Manifest {
  const where = options.source ? ` (${options.source})` : '';
  const declared = normalizeMediaType(options.mediaType);
  if (isSchema1MediaType(declared)) throw schema1Error(where);

  let json: unknown;
  try {
    json = JSON.parse(decoder.decode(bytes));
  } catch (error) {
    throw new AppError(
      'OCI_MANIFEST_INVALID',
      `manifest${where} is not valid UTF-8 JSON: ${(error as Error).message}`,
    );
  }
  if (!isObject(json)) throw new AppError('OCI_MANIFEST_INVALID', `manifest${where} must be a JSON object`);
  if (json.schemaVersion === 1 || isSchema1MediaType(json.mediaType as string)) throw schema1Error(where);
  if (json.schemaVersion !== 2) {
    throw new AppError(
      'OCI_MANIFEST_INVALID',
      `manifest${where} has schemaVersion ${JSON.stringify(json.schemaVersion)}, expected 2`,
    );
  }
  const own = typeof json.mediaType === 'string' ? normalizeMediaType(json.mediaType) : undefined;
  if (json.mediaType !== undefined && typeof json.mediaType !== 'string') {
    throw new AppError('OCI_MANIFEST_INVALID', `manifest${where}: field "mediaType" must be a string`);
  }
  const mediaType = own ?? (isKnown(declared) ? declared : undefined) ?? guessMediaType(json);
  if (!mediaType) {
    throw new AppError(
      'OCI_MANIFEST_INVALID',
      `manifest${where} has no mediaType and is neither an index (manifests) nor an image manifest (config, layers)`,
    );
  }
  if (own && declared && isKnown(declared) && own !== declared) {
    throw new AppError(
      'OCI_MANIFEST_INVALID',
      `manifest${where} declares mediaType ${own} but was served or described as ${declared}`,
    );
  }
  const digest = options.digest ?? digestOf(bytes);
  const descriptor: Descriptor = { mediaType, digest, size: bytes.length };
  if (typeof json.artifactType === 'string') descriptor.artifactType = json.artifactType;
  if (isObject(json.annotations)) descriptor.annotations = json.annotations as Record<string, string>;

  if (isIndexMediaType(mediaType)) {
    const index = validateIndex(json, where);
    return { kind: 'index', descriptor, bytes, index };
  }
  if (isImageManifestMediaType(mediaType)) {
    const image = validateImage(json, where);
    if (
      !descriptor.artifactType &&
      image.artifactType === undefined &&
      image.config.mediaType !== MediaType.OciConfig &&
      image.config.mediaType !== MediaType.DockerConfig
    ) {
      // image-spec v1.1 "Guidelines for Artifact Usage": without artifactType, the config media type names the artifact.
      descriptor.artifactType = image.config.mediaType;
    }
    return { kind: 'image', descriptor, bytes, image };
  }
  throw new AppError(
    'OCI_MEDIA_TYPE_UNSUPPORTED',
    `manifest${where} has unsupported media type ${mediaType}`,
  );
}

function isKnown(mediaType: string | undefined): mediaType is string {
  return isIndexMediaType(mediaType) || isImageManifestMediaType(mediaType);
}

function guessMediaType(json: Record<string, unknown>): string | undefined {
  if (Array.isArray(json.manifests)) return MediaType.OciIndex;
  if (isObject(json.config) && Array.isArray(json.layers)) return MediaType.OciManifest;
  return undefined;
}

function validateIndex(json: Record<string, unknown>, where: string): ImageIndex {
  if (!Array.isArray(json.manifests)) throw fieldError(where, 'manifests', 'must be an array');
  json.manifests.forEach((d, i) => validateDescriptor(d, where, `manifests[${i}]`));
  if (json.subject !== undefined) validateDescriptor(json.subject, where, 'subject');
  return json as unknown as ImageIndex;
}

function validateImage(json: Record<string, unknown>, where: string): ImageManifest {
  validateDescriptor(json.config, where, 'config');
  if (!Array.isArray(json.layers)) throw fieldError(where, 'layers', 'must be an array');
  json.layers.forEach((d, i) => validateDescriptor(d, where, `layers[${i}]`));
  if (json.subject !== undefined) validateDescriptor(json.subject, where, 'subject');
  return json as unknown as ImageManifest;
}

/** Checks one descriptor's required fields; the error names the JSON path. */
export function validateDescriptor(value: unknown, where: string, path: string): asserts value is Descriptor {
  if (!isObject(value)) throw fieldError(where, path, 'must be a descriptor object');
  if (typeof value.mediaType !== 'string' || value.mediaType === '')
    throw fieldError(where, `${path}.mediaType`, 'must be a non-empty string');
  if (!isDigest(value.digest))
    throw fieldError(where, `${path}.digest`, `is not a valid digest: ${JSON.stringify(value.digest)}`);
  if (typeof value.size !== 'number' || !Number.isSafeInteger(value.size) || value.size < 0) {
    throw fieldError(where, `${path}.size`, 'must be a non-negative integer');
  }
}

function fieldError(where: string, path: string, problem: string): AppError {
  return new AppError('OCI_MANIFEST_INVALID', `manifest${where}: field "${path}" ${problem}`, {
    details: { field: path },
  });
}

function schema1Error(where: string): AppError {
  return new AppError(
    'OCI_MANIFEST_SCHEMA1_UNSUPPORTED',
    `manifest${where} is Docker schema 1, which is deprecated and not supported; ask the publisher for a schema 2 or OCI image, or rebuild and push it with a current client`,
  );
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
