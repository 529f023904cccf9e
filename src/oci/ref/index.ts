export {
  type ImageReference,
  type RepositoryName,
  DEFAULT_TAG,
  parseReference,
  parseRepository,
  formatReference,
  formatRepository,
  familiarReference,
  referenceTarget,
  repositoryOf,
  withTag,
  withDigest,
} from './reference.js';
export { DOCKER_HUB, canonicalRegistry, registryEndpoint, isLoopbackRegistry } from './registry.js';
export {
  TAG_PATTERN,
  REPOSITORY_PATH_PATTERN,
  PATH_COMPONENT_PATTERN,
  NAME_TOTAL_LENGTH_MAX,
  isValidTag,
  isValidRepositoryPath,
} from './grammar.js';
export { type TargetSpec, parseTargetSpec } from './location.js';
export {
  referrersFallbackTag,
  cosignTags,
  isAttachmentTag,
  COSIGN_SUFFIXES,
  type CosignSuffix,
} from './attachment-tags.js';
