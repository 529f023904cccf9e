export { formatScanTable, type FormatScanTableOptions } from './table.js';
export { toSarif, type SarifLog } from './sarif.js';
export { toCycloneDxWithVulnerabilities, type CycloneDxVulnerability } from './cyclonedx-vulnerabilities.js';
export {
  recordOfScan,
  recordOfImport,
  type PlatformRecord,
  type RecordOfImportOptions,
  type RecordOfScanOptions,
  type ScanOrigin,
  type ScannerInfo,
  type ScanRecord,
} from './scan-record.js';
export {
  buildVulnStatement,
  encodeVulnAttestation,
  IN_TOTO_MEDIA_TYPE,
  IN_TOTO_STATEMENT_V1,
  PREDICATE_TYPE_ANNOTATION,
  VULN_PREDICATE_TYPE,
  type BuildVulnStatementOptions,
  type VulnAttestationArtifact,
  type VulnPredicate,
  type VulnResult,
  type VulnStatement,
} from './vuln-attestation.js';
export { resolveReportSubject, type ReportSubject, type ReportSubjectOptions } from './report-subject.js';
