import type { Digest } from '../../kernel/index.js';

/** OCI image-spec v1.1 platform object (image-index.md). */
export interface Platform {
  architecture: string;
  os: string;
  'os.version'?: string;
  'os.features'?: string[];
  variant?: string;
  features?: string[];
}

/** OCI image-spec v1.1 content descriptor (descriptor.md). */
export interface Descriptor {
  mediaType: string;
  digest: Digest;
  size: number;
  urls?: string[];
  annotations?: Record<string, string>;
  data?: string;
  artifactType?: string;
  platform?: Platform;
}

/** OCI image manifest or Docker v2 schema 2 manifest (same shape). */
export interface ImageManifest {
  schemaVersion: 2;
  mediaType?: string;
  artifactType?: string;
  config: Descriptor;
  layers: Descriptor[];
  subject?: Descriptor;
  annotations?: Record<string, string>;
}

/** OCI image index or Docker manifest list (same shape). */
export interface ImageIndex {
  schemaVersion: 2;
  mediaType?: string;
  artifactType?: string;
  manifests: Descriptor[];
  subject?: Descriptor;
  annotations?: Record<string, string>;
}

/**
 * A manifest as fetched: the exact bytes (which define its digest and must never be
 * re-serialised), its descriptor, and the parsed view.
 */
export type Manifest =
  | { kind: 'index'; descriptor: Descriptor; bytes: Uint8Array; index: ImageIndex }
  | { kind: 'image'; descriptor: Descriptor; bytes: Uint8Array; image: ImageManifest };

export type ManifestKind = Manifest['kind'];
