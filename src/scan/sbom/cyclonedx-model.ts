/**
 * The part of the CycloneDX 1.6 JSON model (bom-1.6.schema.json) that Airlock writes.
 * Readers take `unknown` and check what they use, since they also read 1.4 and 1.5.
 */

export interface CycloneDxBom {
  $schema: string;
  bomFormat: 'CycloneDX';
  specVersion: '1.6';
  serialNumber: string;
  version: number;
  metadata: CycloneDxMetadata;
  components: CycloneDxComponent[];
}

export interface CycloneDxMetadata {
  timestamp: string;
  lifecycles: { phase: 'post-build' }[];
  tools: { components: CycloneDxComponent[] };
  component: CycloneDxComponent;
}

export type CycloneDxComponentType = 'application' | 'library' | 'operating-system' | 'container';

export interface CycloneDxComponent {
  'bom-ref'?: string;
  type: CycloneDxComponentType;
  name: string;
  version?: string;
  description?: string;
  licenses?: CycloneDxLicenseChoice;
  purl?: string;
  evidence?: { occurrences: { location: string }[] };
  properties?: CycloneDxProperty[];
}

/** Schema "licenseChoice": licences by id or name, or exactly one SPDX expression. */
export type CycloneDxLicenseChoice =
  ({ license: { id: string } } | { license: { name: string } })[] | [{ expression: string }];

export interface CycloneDxProperty {
  name: string;
  value: string;
}

/**
 * Airlock's property names (CycloneDX property taxonomy: a tool's own namespace; `cdx:` is
 * reserved for names CycloneDX registers). Locations are not properties: they are
 * `evidence.occurrences`, the place CycloneDX 1.5+ defines for them.
 */
export const AirlockProperty = {
  SourceName: 'airlock:package:source-name',
  SourceVersion: 'airlock:package:source-version',
  Architecture: 'airlock:package:architecture',
  FoundIn: 'airlock:package:found-in',
  OsIdLike: 'airlock:os:id-like',
  OsVersionCodename: 'airlock:os:version-codename',
  OsDistroless: 'airlock:os:distroless',
  ImagePlatform: 'airlock:image:platform',
} as const;

export const CYCLONEDX_SCHEMA_URL = 'http://cyclonedx.org/schema/bom-1.6.schema.json';
