export type {
  AdvisoryReader,
  AdvisoryRecord,
  AdvisoryWriter,
  AffectedPackageRecord,
  ImportCounts,
  PackageKey,
  SourceImport,
  StoredAdvisory,
  StoredAffected,
  WriteOutcome,
} from './advisory-store.js';
export type {
  OsvAffected,
  OsvEvent,
  OsvPackage,
  OsvRange,
  OsvRecord,
  OsvReference,
  OsvSeverity,
} from './osv.js';
export { validateOsvRecord, type OsvValidation } from './osv-validate.js';
export { toAdvisoryRecord } from './osv-normalize.js';
export { DETECTED_ECOSYSTEMS, ecosystemBase, normalizePackageName } from './ecosystems.js';
export { findOsvSources, readOsvSource, type OsvSource, type OsvSourceEntry } from './osv-source.js';
export {
  importOsvPath,
  importOsvSources,
  importOsvSource,
  sumCounts,
  DEFAULT_BATCH_SIZE,
  type ImportOsvOptions,
  type ImportProblem,
  type ImportReport,
  type SourceIdentity,
  type SourceReport,
} from './osv-import.js';
export { readZipEntries, type ZipEntry, type ZipEntryData, type ReadZipOptions } from './zip-reader.js';
export { resolveTarget, lookupKeys, type MatchTarget, type TargetResolution } from './package-targets.js';
export {
  compileRanges,
  evaluateRange,
  VersionCache,
  type CompiledRange,
  type RangeVerdict,
} from './range-eval.js';
export {
  matchPackages,
  findAdvisoryMatches,
  buildFindings,
  MatchNoticeCode,
  type AdvisoryMatch,
  type MatchResult,
  type MatchStats,
} from './match.js';
export type { Finding, FindingPackage, VexAssessment, VexStatus } from './finding.js';
export {
  advisorySeverity,
  compareSeverity,
  cvssRating,
  parseRating,
  SEVERITY_RATINGS,
  type Severity,
  type SeverityEvidence,
  type SeverityRating,
} from './severity.js';
export { scoreCvssVector, type CvssScore, type CvssVersion } from './cvss/index.js';
export {
  parseOpenVex,
  readOpenVex,
  isOpenVex,
  OPENVEX_CONTEXT,
  applyVex,
  purlMatches,
  VEX_JUSTIFICATIONS,
  type ApplyVexContext,
  type ParsedVex,
  type VexDocument,
  type VexProduct,
  type VexStatement,
} from './vex.js';
export { parseScannerReport, type ImportedScan } from './import-results.js';
export {
  discoverAttachedVex,
  isVexPredicateType,
  OPENVEX_ARTIFACT_TYPE,
  DEFAULT_MAX_VEX_BYTES,
  VexNotice,
  type AttachedVex,
  type DiscoverVexOptions,
} from './vex-discovery.js';
