import type { PackageType } from '../inventory/types.js';
import type { Severity } from './severity.js';

/**
 * One vulnerability of one installed package: the unit reports list, policies judge and
 * exceptions name. Advisories that describe the same vulnerability (a CVE, the distribution's
 * record of it, the GitHub advisory that aliases it) make one finding.
 */
export interface Finding {
  /** The CVE when the vulnerability has one, else the advisory's own id (GHSA-…, GO-…, MAL-…). */
  id: string;
  /** Every other identifier of the vulnerability: matching advisories and their aliases, sorted. */
  aliases: string[];
  /** The advisory records that matched (OSV ids, or the scanner's ids for imported reports). */
  advisories: string[];
  package: FindingPackage;
  /** Versions that fix it, lowest first; empty when no fix is known. */
  fixedVersions: string[];
  /** The highest severity any of the matching advisories gives. */
  severity: Severity;
  summary?: string;
  urls: string[];
  /** Who found it: Airlock's own matching against OSV data, or an imported Trivy/Grype report. */
  origin: 'osv' | 'trivy' | 'grype';
  /** What a VEX statement says about it, when one applies. */
  vex?: VexAssessment;
  /** True when a VEX statement says `not_affected` or `fixed`: kept in reports, not counted against policy. */
  suppressed: boolean;
}

export interface FindingPackage {
  name: string;
  version: string;
  type: PackageType | string;
  purl?: string;
  /** The source package matching used (Debian, Ubuntu, Alpine key advisories by it). */
  source?: { name: string; version?: string };
  /** The OSV ecosystem release matched against: `Debian:12`, `Alpine:v3.20`, `PyPI`. */
  ecosystem?: string;
  /** Where in the image the package was found. */
  locations?: string[];
}

export type VexStatus = 'not_affected' | 'affected' | 'fixed' | 'under_investigation';

export interface VexAssessment {
  status: VexStatus;
  /** For `not_affected`: one of OpenVEX's justification labels (`vulnerable_code_not_present`, …). */
  justification?: string;
  impactStatement?: string;
  actionStatement?: string;
  /** The document's `@id` and the statement's timestamp, so that a reader can find the source. */
  document?: string;
  /** Where the document was read, when not its `@id`: the `--vex` file, or the referrer it is attached as. */
  source?: string;
  timestamp?: string;
}
