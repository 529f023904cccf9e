export {
  Copier,
  DEFAULT_COPY_CONCURRENCY,
  describe as describeLocation,
  type CopierOptions,
  type CopyItem,
  type CopyOutcome,
} from './copier.js';
export {
  type CopyOptions,
  type CopyResult,
  type CopyStats,
  type CopyEvent,
  type PlannedItem,
  type BlobOutcome,
  emptyStats,
  addStats,
} from './types.js';
export { filterIndex } from './platform-filter.js';
export type { BlobLocationHints } from './blob-hints.js';
