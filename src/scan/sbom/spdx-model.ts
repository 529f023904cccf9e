/**
 * The part of the SPDX 2.3 JSON model (spdx-schema.json of spdx-spec v2.3) that Airlock
 * writes. Readers take `unknown` and check what they use, since they also read 2.2.
 */

export interface SpdxDocument {
  spdxVersion: 'SPDX-2.3';
  dataLicense: 'CC0-1.0';
  SPDXID: 'SPDXRef-DOCUMENT';
  name: string;
  documentNamespace: string;
  creationInfo: { created: string; creators: string[]; licenseListVersion: string };
  packages: SpdxPackage[];
  relationships: SpdxRelationship[];
  hasExtractedLicensingInfos?: SpdxExtractedLicense[];
}

/** §7.24; the JSON schema spells OPERATING_SYSTEM with an underscore, the text with a hyphen. */
export type SpdxPackagePurpose = 'CONTAINER' | 'OPERATING_SYSTEM' | 'LIBRARY' | 'APPLICATION';

export interface SpdxPackage {
  SPDXID: string;
  name: string;
  versionInfo?: string;
  downloadLocation: 'NOASSERTION';
  /** Always false: Airlock lists packages, not their files (§7.8; true would require a verification code). */
  filesAnalyzed: false;
  checksums?: { algorithm: 'SHA256' | 'SHA512'; checksumValue: string }[];
  sourceInfo?: string;
  licenseConcluded: string;
  licenseDeclared: string;
  copyrightText: 'NOASSERTION';
  description?: string;
  externalRefs?: SpdxExternalRef[];
  primaryPackagePurpose: SpdxPackagePurpose;
}

export interface SpdxExternalRef {
  referenceCategory: 'PACKAGE-MANAGER';
  referenceType: 'purl';
  referenceLocator: string;
}

export interface SpdxRelationship {
  spdxElementId: string;
  relationshipType: 'DESCRIBES' | 'CONTAINS';
  relatedSpdxElement: string;
}

/** §10: a licence that is not on the SPDX License List, referenced as `LicenseRef-…`. */
export interface SpdxExtractedLicense {
  licenseId: string;
  name: string;
  extractedText: string;
}

/**
 * Prefix of `sourceInfo` naming the files a package was read from; syft writes the same shape
 * ("acquired package info from DPKG DB: /var/lib/dpkg/status"), so readers take both.
 */
export const SOURCE_INFO_PATTERN = /^acquired package info from [^:]*: (.+)$/s;
