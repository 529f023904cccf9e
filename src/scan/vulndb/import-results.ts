import { AppError } from '../../kernel/index.js';
import { parseGrypeReport } from './grype-report.js';
import { type ImportedScan, parseJson } from './report-common.js';
import { parseTrivyReport } from './trivy-report.js';

export type { ImportedScan } from './report-common.js';

/**
 * Results of other scanners (Trivy JSON, Grype JSON) read into Airlock's finding shape, so
 * that a user's existing scan results can stand as the scan of a digest. Matches of one
 * package that name the same vulnerability (a GHSA and its CVE) become one finding, as
 * Airlock's own matching does.
 */

/** Reads a Trivy or Grype JSON report, telling them apart by shape; `source` names the input in errors. */
export function parseScannerReport(text: string, source: string): ImportedScan {
  const value = parseJson(text, source);
  if (typeof value === 'object' && value !== null && 'matches' in value)
    return parseGrypeReport(value, source);
  if (typeof value === 'object' && value !== null && ('Results' in value || 'SchemaVersion' in value))
    return parseTrivyReport(value, source);
  throw new AppError(
    'SCAN_REPORT_INVALID',
    `${source} is neither a Trivy JSON report (with "Results") nor a Grype JSON report (with "matches")`,
  );
}
