export {
  MediaType,
  MANIFEST_ACCEPT,
  normalizeMediaType,
  isIndexMediaType,
  isImageManifestMediaType,
  isManifestMediaType,
  isSchema1MediaType,
  isNondistributableMediaType,
  isDockerMediaType,
} from './media-types.js';
