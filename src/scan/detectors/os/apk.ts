import type { OsInfo, Package, ScanNotice } from '../../inventory/types.js';
import type { CaptureRequest, EntryInfo } from '../../layers/types.js';
import type { DetectContext, Detector, DetectorResult } from '../types.js';
import { parseApkInstalled, type ApkRecord } from './apk-installed.js';
import { captureNotices, locateDatabases } from './captured-database.js';
import { OsNoticeCode } from './notice-codes.js';
import { buildPurl, distroQualifier } from './purl.js';
import { decodeText } from './text.js';

/**
 * Where apk-tools keeps the installed database: `/lib/apk/db` historically, `/usr/lib/apk/db`
 * on merged-/usr systems (where `/lib` may be a symlink to it, which the capture resolves).
 */
export const APK_INSTALLED_PATHS = ['/lib/apk/db/installed', '/usr/lib/apk/db/installed'] as const;

export interface ApkDetectorOptions {
  /**
   * Cap on the installed database; it lists every file of every package, so large images reach
   * a few MiB. 64 MiB bounds what a hostile image makes us hold.
   */
  installedMaxBytes?: number;
}

const DEFAULT_INSTALLED_MAX_BYTES = 64 * 1024 * 1024;

/** Alpine, Wolfi and Chainguard packages from the apk installed database. */
export function createApkDetector(options: ApkDetectorOptions = {}): Detector {
  const maxBytes = options.installedMaxBytes ?? DEFAULT_INSTALLED_MAX_BYTES;
  const paths = new Set<string>(APK_INSTALLED_PATHS);
  return {
    name: 'apk',
    select(entry: EntryInfo): CaptureRequest | undefined {
      return paths.has(entry.path) ? { kind: 'content', maxBytes } : undefined;
    },
    detect: detectApk,
  };
}

export const apkDetector: Detector = createApkDetector();

function detectApk(context: DetectContext): DetectorResult {
  const packages: Package[] = [];
  const notices: ScanNotice[] = [];
  for (const db of locateDatabases(context.fs, APK_INSTALLED_PATHS)) {
    notices.push(...captureNotices(db, 'apk installed database'));
    if (db.content === undefined) continue;
    const parsed = parseApkInstalled(decodeText(db.content));
    for (const { line, reason } of parsed.invalid) {
      notices.push({
        level: 'warning',
        code: OsNoticeCode.EntryInvalid,
        path: db.path,
        message: `${db.path} line ${line}: ${reason}; the package is skipped`,
      });
    }
    for (const record of parsed.records) packages.push(toPackage(record, db.path, context));
  }
  return { packages, notices };
}

function toPackage(record: ApkRecord, location: string, context: DetectContext): Package {
  const architecture = record.architecture ?? context.architecture;
  const pkg: Package = {
    type: 'apk',
    name: record.name,
    version: record.version,
    purl: apkPurl(record, architecture, context.os),
    locations: [location],
  };
  // Subpackages share their origin's version, so the origin's name is all there is to say.
  if (record.origin) pkg.source = { name: record.origin };
  if (record.license) pkg.licenses = [record.license];
  if (architecture) pkg.architecture = architecture;
  return pkg;
}

/**
 * `pkg:apk/<id>/<name>@<version>?arch=…&distro=<id>-<VERSION_ID>`: the namespace is the
 * distribution (`alpine`, `wolfi`, `chainguard`); rolling distributions have no `distro`.
 * `upstream` names the origin when it differs from the package, as for Debian packages.
 */
function apkPurl(record: ApkRecord, architecture: string | undefined, os: OsInfo | undefined): string {
  return buildPurl('apk', os?.id ?? 'alpine', record.name, record.version, {
    arch: architecture,
    distro: distroQualifier(os),
    upstream: record.origin !== record.name ? record.origin : undefined,
  });
}
