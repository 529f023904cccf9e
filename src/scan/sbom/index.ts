export type { ParsedSbom, SbomFormat, SbomImage, WriteSbomOptions, ReadSbomOptions } from './types.js';
export type { CycloneDxBom, CycloneDxComponent } from './cyclonedx-model.js';
export type { SpdxDocument, SpdxPackage } from './spdx-model.js';
export { writeCycloneDx } from './cyclonedx-writer.js';
export { writeSpdx } from './spdx-writer.js';
export { readCycloneDx } from './cyclonedx-reader.js';
export { readSpdx } from './spdx-reader.js';
export { readSbom, parseSbomJson, detectSbomFormat, encodeSbom } from './sbom-document.js';
export { unwrapSbom, isSbomPredicateType, type SbomEnvelope, type UnwrappedSbom } from './attestation.js';
export {
  discoverSbom,
  DEFAULT_MAX_SBOM_BYTES,
  type DiscoverSbomOptions,
  type SbomDiscovery,
} from './sbom-discovery.js';
export { SbomArtifactType, type SbomAttachment } from './sbom-candidates.js';
export type { SbomOrigin, SkippedSbomCandidate } from './sbom-candidate-reader.js';
export { inventoryFromSbom, type InventoryFromSbomOptions } from './sbom-inventory.js';
export { SbomNotice } from './notice-codes.js';
