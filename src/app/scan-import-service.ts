import { readInputFile } from './read-input.js';
import { AppError } from '../kernel/index.js';
import type { ReadOnlyTarget } from '../oci/content/index.js';
import type { Descriptor, Platform } from '../oci/manifest/index.js';
import { parseTargetSpec } from '../oci/ref/index.js';
import type { ScanNotice } from '../scan/inventory/types.js';
import { type ScanRecord, recordOfImport, resolveReportSubject } from '../scan/report/index.js';
import {
  type Finding,
  type ImportedScan,
  type VexDocument,
  applyVex,
  discoverAttachedVex,
  parseScannerReport,
} from '../scan/vulndb/index.js';
import { openAirlockDatabase } from './database.js';
import { openImage } from './registry-access.js';
import type { ScanEvidence } from './scan-evidence.js';
import { type PublishOptions, type ScanContext, loadVex, publishScanRecord } from './scan-service.js';

export type ScannerReportFormat = ImportedScan['scanner'];

export interface ImportScanReportOptions extends ScanContext, PublishOptions {
  /** What the file is expected to be: a Trivy or a Grype JSON report. */
  format: ScannerReportFormat;
  /** The image the report is of (a registry reference or an OCI layout location). */
  image: string;
  /** The platform of a multi-platform image the report covers, when the report does not say. */
  platform?: Platform;
  vexFiles?: string[];
  /** Apply OpenVEX documents attached to the image. Default true. */
  attachedVex?: boolean;
}

export interface ImportScanReportOutcome {
  record: ScanRecord;
  evidence: ScanEvidence;
}

const SCANNER_NAMES: Record<ScannerReportFormat, string> = { trivy: 'Trivy', grype: 'Grype' };

/**
 * `airlock scan import`: another scanner's report as the scan result of an image digest.
 * The image is resolved where it lives and must be the one the report names; VEX applies as
 * to Airlock's own scans; the result is stored and attached exactly like one.
 */
export async function importScanReport(
  file: string,
  options: ImportScanReportOptions,
): Promise<ImportScanReportOutcome> {
  const imported = await readReport(file, options.format);
  const vex = await loadVex(options.vexFiles ?? []);
  const spec = parseTargetSpec(options.image);
  const { target, reference } = await openImage(spec, options.session, options.signal);
  const root = await target.fetchManifest(reference, { signal: options.signal });
  const subject = resolveReportSubject(root, imported, {
    source: file,
    reference: options.image,
    platform: options.platform,
  });
  const applied = await applyAllVex(target, imported.findings, vex, {
    root: root.descriptor,
    platform: subject.manifest,
    attached: options.attachedVex ?? true,
    signal: options.signal,
  });
  const record = recordOfImport(imported, {
    reference: options.image,
    digest: root.descriptor.digest,
    mediaType: root.descriptor.mediaType,
    manifestDigest: subject.manifest.digest,
    platform: subject.platform,
    findings: applied.findings,
    notices: applied.notices,
    importedAt: new Date().toISOString(),
  });
  // The database is started only when something is stored in it.
  const database = options.save
    ? await openAirlockDatabase({ dataDir: options.dataDir, env: options.env, logger: options.logger })
    : undefined;
  try {
    const evidence = await publishScanRecord(record, { ...options, db: database?.db, target, spec });
    return { record, evidence };
  } finally {
    await database?.close();
  }
}

async function readReport(file: string, format: ScannerReportFormat): Promise<ImportedScan> {
  const text = await readInputFile(file, 'scanner report');
  const imported = parseScannerReport(text, file);
  if (imported.scanner !== format) {
    throw new AppError(
      'USAGE_INVALID',
      `${file} is a ${SCANNER_NAMES[imported.scanner]} report, not a ${SCANNER_NAMES[format]} one; use --format ${imported.scanner}`,
    );
  }
  return imported;
}

interface ApplyAllVexOptions {
  root: Descriptor;
  platform: Descriptor;
  attached: boolean;
  signal?: AbortSignal;
}

/** `--vex` documents and, unless turned off, those attached to the index and to the platform manifest. */
async function applyAllVex(
  target: ReadOnlyTarget,
  findings: Finding[],
  files: VexDocument[],
  options: ApplyAllVexOptions,
): Promise<{ findings: Finding[]; notices: ScanNotice[] }> {
  const documents = [...files];
  const notices: ScanNotice[] = [];
  if (options.attached) {
    const subjects =
      options.root.digest === options.platform.digest ? [options.root] : [options.root, options.platform];
    for (const subject of subjects) {
      const found = await discoverAttachedVex(target, subject, { signal: options.signal });
      documents.push(...found.documents);
      notices.push(...found.notices);
    }
  }
  if (documents.length === 0) return { findings, notices };
  const imageDigests = [options.root.digest, options.platform.digest];
  return { findings: applyVex(findings, documents, { imageDigests }), notices };
}
