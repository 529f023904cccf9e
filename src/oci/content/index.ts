export type {
  CallOptions,
  TargetLocation,
  Located,
  BlobFetcher,
  BlobPusher,
  BlobMounter,
  ManifestFetcher,
  ManifestPusher,
  PushManifestOptions,
  Tagger,
  TagLister,
  ListTagsOptions,
  ReferrerLister,
  ListReferrersOptions,
  Deleter,
  ReadOnlyTarget,
  Target,
} from './interfaces.js';
export { isBlobMounter, isDeleter } from './interfaces.js';
export { MemoryStore, type MemoryStoreOptions } from './memory-store.js';
export {
  DEFAULT_MAX_MANIFEST_BYTES,
  isTag,
  assertTag,
  referrerDescriptorOf,
  drainStream,
  type DrainOptions,
} from './store-contract.js';
