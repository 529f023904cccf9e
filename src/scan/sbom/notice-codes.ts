/** Codes of the notices SBOM reading and discovery add to an inventory (`ScanNotice.code`). */
export const SbomNotice = {
  /** Entries of an SBOM that did not become packages (no purl, an ecosystem not inventoried). */
  ComponentSkipped: 'SBOM_COMPONENT_SKIPPED',
  /** The SBOM used for a platform is attached to the index and may cover other platforms. */
  FromIndex: 'SBOM_FROM_INDEX',
  /** The inventory was taken from an attached SBOM rather than from the image layers. */
  Used: 'SBOM_USED',
} as const;
