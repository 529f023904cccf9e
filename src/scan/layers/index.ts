/**
 * The layer reader: one platform's layers, streamed base first through decompression and a
 * tar reader, merged with image-spec v1.1 layer semantics into the few files detectors ask
 * for (see {@link readFilesystem}).
 */
export type {
  EntryInfo,
  CaptureRequest,
  FileSelector,
  CapturedFile,
  CapturedFilesystem,
  LayerSource,
} from './types.js';
export { readFilesystem, type ReadFilesystemOptions } from './read-filesystem.js';
export { layersOf } from './layer-source.js';
export { DEFAULT_LAYER_LIMITS, type LayerLimits } from './limits.js';
export { LayerNoticeCode, MAX_NOTICES_PER_CODE } from './notices.js';
