import type { OsInfo, Package, ScanNotice } from '../inventory/types.js';

export type SbomFormat = 'cyclonedx' | 'spdx';

/** What an SBOM document says, in inventory terms. */
export interface ParsedSbom {
  format: SbomFormat;
  /** `1.4`–`1.6` (CycloneDX) or `2.2`–`2.3` (SPDX). */
  specVersion: string;
  /** CycloneDX `serialNumber` or SPDX `documentNamespace`, when present. */
  documentId?: string;
  /** The tools that made it (`syft-1.14.0`, `trivy-0.56.2`, `airlock-0.1.0`). */
  tools: string[];
  /** What the document describes (CycloneDX `metadata.component`, the SPDX package it DESCRIBES). */
  describes?: { name: string; version?: string; purl?: string };
  os?: OsInfo;
  packages: Package[];
  /** Components skipped and why (no purl, an ecosystem Airlock does not inventory). */
  notices: ScanNotice[];
}

export interface ReadSbomOptions {
  /** Names the document in errors and notices (a file path, an artifact digest). */
  source?: string;
}

/** The image an SBOM is written for: names it in the document's root component or package. */
export interface SbomImage {
  /** Repository without tag or digest, e.g. `docker.io/library/debian`. */
  repository?: string;
  /** A name when there is no repository (an OCI layout's reference name). */
  name?: string;
  tag?: string;
}

export interface WriteSbomOptions {
  /** Airlock's version, for the document's tool and creator entries (`airlock-<version>`). */
  toolVersion: string;
  image?: SbomImage;
  /** Creation time written into the document; defaults to now. */
  created?: Date;
  /**
   * The random part of the document's identity (CycloneDX `serialNumber`, SPDX
   * `documentNamespace`), an RFC 4122 UUID; defaults to a fresh random one.
   */
  uuid?: string;
}
