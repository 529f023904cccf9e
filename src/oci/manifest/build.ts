import { digestOf } from '../../kernel/index.js';
import { MediaType } from '../mediatype/index.js';
import type { Descriptor, ImageIndex, ImageManifest, Manifest } from './types.js';

const encoder = new TextEncoder();

/**
 * Serialises a manifest we author ourselves (filtered index, referrers fallback index,
 * artifacts). Key order is the object's, so equal inputs always give equal digests.
 */
export function encodeManifest(value: ImageManifest | ImageIndex): Manifest {
  const bytes = encoder.encode(JSON.stringify(value));
  const mediaType = value.mediaType ?? ('manifests' in value ? MediaType.OciIndex : MediaType.OciManifest);
  const descriptor: Descriptor = { mediaType, digest: digestOf(bytes), size: bytes.length };
  if (value.artifactType) descriptor.artifactType = value.artifactType;
  if (value.annotations) descriptor.annotations = value.annotations;
  return 'manifests' in value
    ? { kind: 'index', descriptor, bytes, index: value }
    : { kind: 'image', descriptor, bytes, image: value };
}

/** OCI image-spec v1.1 "empty descriptor": the `{}` config of artifacts with no config. */
export const EMPTY_CONFIG: Descriptor = Object.freeze({
  mediaType: MediaType.OciEmpty,
  digest: 'sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a',
  size: 2,
  data: 'e30=',
}) as Descriptor;

export const EMPTY_CONFIG_BYTES = encoder.encode('{}');

/** A descriptor for bytes, with the given media type. */
export function describeBytes(
  bytes: Uint8Array,
  mediaType: string,
  extra: Partial<Descriptor> = {},
): Descriptor {
  return { mediaType, digest: digestOf(bytes), size: bytes.length, ...extra };
}

/** A descriptor as it appears inside an index or referrers list: only the standard fields. */
export function toIndexEntry(descriptor: Descriptor): Descriptor {
  const entry: Descriptor = {
    mediaType: descriptor.mediaType,
    digest: descriptor.digest,
    size: descriptor.size,
  };
  if (descriptor.artifactType) entry.artifactType = descriptor.artifactType;
  if (descriptor.annotations && Object.keys(descriptor.annotations).length > 0)
    entry.annotations = descriptor.annotations;
  if (descriptor.platform) entry.platform = descriptor.platform;
  return entry;
}
