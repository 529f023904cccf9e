import type { OsInfo, Package, ScanNotice } from '../../inventory/types.js';
import type { CaptureRequest, CapturedFilesystem, EntryInfo } from '../../layers/types.js';
import type { DetectContext, Detector, DetectorResult } from '../types.js';
import { captureNotices, locateDatabases, type CapturedDatabase } from './captured-database.js';
import { OsNoticeCode } from './notice-codes.js';
import { buildPurl, distroQualifier, rpmNamespace } from './purl.js';
import { parseRpmManifest, RPM_MANIFEST_PATH } from './rpm-manifest.js';
import { isRpmPseudoPackage, parseSourceRpm, readRpmRecord, rpmEvr, type RpmRecord } from './rpm-record.js';
import { readRpmdbSqlite } from './rpmdb-sqlite.js';
import { decodeText } from './text.js';

/**
 * rpm database directories: `/var/lib/rpm` (RHEL, CentOS, Amazon Linux, CBL-Mariner),
 * `/usr/lib/sysimage/rpm` (Fedora ≥ 36, openSUSE, SLE 15 SP4+), often one a symlink to the
 * other, and `/usr/share/rpm` (rpm-ostree systems such as Fedora CoreOS).
 */
const RPMDB_DIRS = ['/var/lib/rpm', '/usr/lib/sysimage/rpm', '/usr/share/rpm'] as const;
export const RPMDB_SQLITE_PATHS = RPMDB_DIRS.map((dir) => `${dir}/rpmdb.sqlite`);
const WAL_SUFFIX = '-wal';

/** Formats rpm also writes that this release does not read, by file name. */
const UNSUPPORTED_BACKENDS: readonly { file: string; backend: string; users: string }[] = [
  { file: 'Packages', backend: 'BerkeleyDB', users: 'RHEL/CentOS ≤ 8, Amazon Linux 2, Oracle Linux ≤ 8' },
  { file: 'Packages.db', backend: 'NDB', users: 'SUSE Linux Enterprise and openSUSE' },
];

/** Notices about bad headers stop after this many per database; a summary gives the total. */
const MAX_HEADER_NOTICES = 10;

export interface RpmDetectorOptions {
  /**
   * Cap on `rpmdb.sqlite`. A RHEL 9 UBI image's is about 6 MiB and a full server's 100–200 MiB;
   * 256 MiB covers those, and the whole file has to be in memory for SQLite to read it.
   */
  sqliteMaxBytes?: number;
  /** Cap on the distroless package manifest: about 100 bytes per package. */
  manifestMaxBytes?: number;
}

const DEFAULT_SQLITE_MAX_BYTES = 256 * 1024 * 1024;
const DEFAULT_MANIFEST_MAX_BYTES = 16 * 1024 * 1024;

/**
 * Packages of rpm-based distributions (RHEL and its rebuilds, Fedora, Amazon Linux,
 * CBL-Mariner/Azure Linux, SUSE) from the SQLite rpm database that rpm ≥ 4.16 writes, or from
 * the package manifest of Mariner/Azure Linux distroless images. BerkeleyDB and NDB databases
 * are reported, not read (docs/scanning.md).
 */
export function createRpmDetector(options: RpmDetectorOptions = {}): Detector {
  const maxBytes = options.sqliteMaxBytes ?? DEFAULT_SQLITE_MAX_BYTES;
  const manifestMaxBytes = options.manifestMaxBytes ?? DEFAULT_MANIFEST_MAX_BYTES;
  const databases = new Set(RPMDB_SQLITE_PATHS);
  const logs = new Set(RPMDB_SQLITE_PATHS.map((path) => `${path}${WAL_SUFFIX}`));
  return {
    name: 'rpm',
    select(entry: EntryInfo): CaptureRequest | undefined {
      if (databases.has(entry.path)) return { kind: 'content', maxBytes };
      if (entry.path === RPM_MANIFEST_PATH) return { kind: 'content', maxBytes: manifestMaxBytes };
      // Only its size matters: whether the log holds writes the database file lacks.
      if (logs.has(entry.path)) return { kind: 'probe', probe: drainForSize };
      return undefined;
    },
    detect: detectRpm,
  };
}

export const rpmDetector: Detector = createRpmDetector();

async function drainForSize(chunks: AsyncIterable<Buffer>): Promise<number> {
  let size = 0;
  for await (const chunk of chunks) size += chunk.length;
  return size;
}

async function detectRpm(context: DetectContext): Promise<DetectorResult> {
  const packages: Package[] = [];
  const notices: ScanNotice[] = [];
  const databases = locateDatabases(context.fs, RPMDB_SQLITE_PATHS);
  for (const db of databases) {
    notices.push(...captureNotices(db, 'rpm database'));
    if (db.content === undefined) continue;
    notices.push(...walNotices(context.fs, db));
    await readDatabase(db, db.content, context, packages, notices);
  }
  if (databases.length > 0) return { packages, notices };
  const manifests = locateDatabases(context.fs, [RPM_MANIFEST_PATH]);
  for (const manifest of manifests) {
    notices.push(...captureNotices(manifest, 'rpm package manifest'));
    if (manifest.content === undefined) continue;
    readManifest(manifest.path, manifest.content, context, packages, notices);
  }
  if (manifests.length === 0) notices.push(...unsupportedNotices(context.fs));
  return { packages, notices };
}

function readManifest(
  path: string,
  content: Buffer,
  context: DetectContext,
  packages: Package[],
  notices: ScanNotice[],
): void {
  const parsed = parseRpmManifest(decodeText(content));
  for (const { line, reason } of parsed.invalid) {
    notices.push({
      level: 'warning',
      code: OsNoticeCode.EntryInvalid,
      path,
      message: `${path} line ${line}: ${reason}; the package is skipped`,
    });
  }
  for (const record of parsed.records) {
    if (!isRpmPseudoPackage(record.name)) packages.push(toPackage(record, path, context));
  }
}

async function readDatabase(
  db: CapturedDatabase,
  content: Buffer,
  context: DetectContext,
  packages: Package[],
  notices: ScanNotice[],
): Promise<void> {
  let invalid = 0;
  try {
    await readRpmdbSqlite(content, db.path, ({ hnum, blob }) => {
      try {
        const record = readRpmRecord(blob);
        if (record) packages.push(toPackage(record, db.path, context));
      } catch (error) {
        if (++invalid <= MAX_HEADER_NOTICES) notices.push(headerNotice(db.path, hnum, error));
      }
    });
  } catch (error) {
    notices.push({
      level: 'warning',
      code: OsNoticeCode.RpmdbUnreadable,
      path: db.path,
      message: `${messageOf(error)}; its packages are missing from the inventory`,
    });
  }
  if (invalid > MAX_HEADER_NOTICES) {
    notices.push({
      level: 'warning',
      code: OsNoticeCode.EntryInvalid,
      path: db.path,
      message: `${db.path}: ${invalid} package headers could not be read in all (the first ${MAX_HEADER_NOTICES} are listed)`,
    });
  }
}

function toPackage(record: RpmRecord, location: string, context: DetectContext): Package {
  const architecture = record.architecture ?? context.architecture;
  const pkg: Package = {
    type: 'rpm',
    name: record.name,
    version: rpmEvr(record),
    purl: rpmPurl(record, architecture, context.os),
    locations: [location],
  };
  const source = record.sourceRpm === undefined ? undefined : parseSourceRpm(record.sourceRpm);
  if (source) {
    const sameVersion = source.versionRelease === `${record.version}-${record.release}`;
    pkg.source = sameVersion ? { name: source.name } : { name: source.name, version: source.versionRelease };
  }
  if (record.license) pkg.licenses = [record.license];
  if (architecture) pkg.architecture = architecture;
  return pkg;
}

/** `pkg:rpm/<vendor>/<name>@<version>-<release>?arch=…&epoch=…&distro=<id>-<VERSION_ID>` (purl-spec, rpm). */
function rpmPurl(record: RpmRecord, architecture: string | undefined, os: OsInfo | undefined): string {
  return buildPurl('rpm', rpmNamespace(os), record.name, `${record.version}-${record.release}`, {
    arch: architecture,
    epoch: record.epoch ? String(record.epoch) : undefined,
    distro: distroQualifier(os),
  });
}

function walNotices(fs: CapturedFilesystem, db: CapturedDatabase): ScanNotice[] {
  const log = fs.get(`${db.path}${WAL_SUFFIX}`);
  const size = typeof log?.probe === 'number' ? log.probe : (log?.size ?? 0);
  if (size === 0) return [];
  return [
    {
      level: 'warning',
      code: OsNoticeCode.RpmdbWalPending,
      path: `${db.path}${WAL_SUFFIX}`,
      message:
        `${db.path}${WAL_SUFFIX} holds ${size} bytes of writes not yet checkpointed into ${db.path}; ` +
        'packages installed or removed last may be missing or still listed',
    },
  ];
}

function unsupportedNotices(fs: CapturedFilesystem): ScanNotice[] {
  for (const { file, backend, users } of UNSUPPORTED_BACKENDS) {
    const path = RPMDB_DIRS.map((dir) => `${dir}/${file}`).find((candidate) => fs.exists(candidate));
    if (path === undefined) continue;
    return [
      {
        level: 'warning',
        code: OsNoticeCode.RpmdbUnsupported,
        path,
        message:
          `${path} is an rpm database in the ${backend} format (${users}), which this release does not read; ` +
          'the image’s rpm packages are not inventoried. Attach an SBOM to the image or import a Trivy/Grype report instead',
      },
    ];
  }
  return [];
}

function headerNotice(path: string, hnum: number, error: unknown): ScanNotice {
  return {
    level: 'warning',
    code: OsNoticeCode.EntryInvalid,
    path,
    message: `${path}: package header ${hnum} skipped: ${messageOf(error)}`,
  };
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
