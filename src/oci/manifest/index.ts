export type { Descriptor, Platform, ImageManifest, ImageIndex, Manifest, ManifestKind } from './types.js';
export { parseManifest, validateDescriptor, type ParseManifestOptions } from './parse.js';
export { childrenOf, subjectOf, contentKey, isNondistributable } from './graph.js';
export { parsePlatform, formatPlatform, normalizePlatform, platformMatches } from './platform.js';
export { encodeManifest, describeBytes, toIndexEntry, EMPTY_CONFIG, EMPTY_CONFIG_BYTES } from './build.js';
