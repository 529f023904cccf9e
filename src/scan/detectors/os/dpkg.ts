import type { OsInfo, Package, ScanNotice } from '../../inventory/types.js';
import type { CaptureRequest, CapturedFilesystem, EntryInfo } from '../../layers/types.js';
import type { DetectContext, Detector, DetectorResult } from '../types.js';
import { captureNotices, locateDatabases, type CapturedDatabase } from './captured-database.js';
import { parseDep5Licenses } from './dpkg-copyright.js';
import { parseDpkgStatus, type DpkgRecord } from './dpkg-status.js';
import { OsNoticeCode } from './notice-codes.js';
import { buildPurl, distroQualifier } from './purl.js';
import { decodeText } from './text.js';

export const DPKG_STATUS_PATH = '/var/lib/dpkg/status';
export const DPKG_STATUS_DIR = '/var/lib/dpkg/status.d/';
const DOC_DIR = '/usr/share/doc/';

export interface DpkgDetectorOptions {
  /**
   * Cap on `/var/lib/dpkg/status`. A full desktop system's is about 5 MiB; 64 MiB leaves room
   * for any real image and still bounds what a hostile one makes us hold.
   */
  statusMaxBytes?: number;
  /** Cap on each distroless `status.d/` file, which holds one package's control data (a few KiB). */
  statusFileMaxBytes?: number;
  /**
   * Cap on each `/usr/share/doc/<package>/copyright`; most are under 50 KiB, a few reach a few
   * hundred. Licences are optional data: a larger file only costs that package its licence.
   */
  copyrightMaxBytes?: number;
  /** Whether to capture copyright files and report licences; on by default. */
  licenses?: boolean;
}

const DEFAULTS: Required<DpkgDetectorOptions> = {
  statusMaxBytes: 64 * 1024 * 1024,
  statusFileMaxBytes: 1024 * 1024,
  copyrightMaxBytes: 256 * 1024,
  licenses: true,
};

/**
 * Debian packages (Debian, Ubuntu and their derivatives, distroless): the dpkg status database,
 * or Google distroless's one-file-per-package `status.d/`, with each package's source package
 * (vulnerability data for Debian and Ubuntu is keyed by source package) and, when its copyright
 * file is machine-readable, its licences.
 */
export function createDpkgDetector(options: DpkgDetectorOptions = {}): Detector {
  const settings = { ...DEFAULTS, ...options };
  return {
    name: 'dpkg',
    select: (entry) => selectDpkgFile(entry, settings),
    detect: (context) => detectDpkg(context, settings),
  };
}

export const dpkgDetector: Detector = createDpkgDetector();

function selectDpkgFile(
  entry: EntryInfo,
  settings: Required<DpkgDetectorOptions>,
): CaptureRequest | undefined {
  const { path } = entry;
  if (path === DPKG_STATUS_PATH) return { kind: 'content', maxBytes: settings.statusMaxBytes };
  if (isStatusDirFile(path)) return { kind: 'content', maxBytes: settings.statusFileMaxBytes };
  if (settings.licenses && isCopyrightFile(path))
    return { kind: 'content', maxBytes: settings.copyrightMaxBytes };
  return undefined;
}

/** `status.d/<package>`, without the `<package>.md5sums` files distroless keeps beside them. */
function isStatusDirFile(path: string): boolean {
  if (!path.startsWith(DPKG_STATUS_DIR)) return false;
  const name = path.slice(DPKG_STATUS_DIR.length);
  return name !== '' && !name.includes('/') && !name.endsWith('.md5sums');
}

function isCopyrightFile(path: string): boolean {
  if (!path.startsWith(DOC_DIR) || !path.endsWith('/copyright')) return false;
  const middle = path.slice(DOC_DIR.length, -'/copyright'.length);
  return middle !== '' && !middle.includes('/');
}

function detectDpkg(context: DetectContext, settings: Required<DpkgDetectorOptions>): DetectorResult {
  const { fs } = context;
  const notices: ScanNotice[] = [];
  const packages: Package[] = [];
  const seen = new Set<string>();
  const sources: { db: CapturedDatabase; statusOptional: boolean; what: string }[] = [
    ...locateDatabases(fs, [DPKG_STATUS_PATH]).map((db) => ({
      db,
      statusOptional: false,
      what: 'dpkg status database',
    })),
    ...fs
      .find(isStatusDirFile)
      .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))
      .map((file) => ({
        db: { path: file.path, file, content: file.content },
        statusOptional: true,
        what: 'dpkg status file',
      })),
  ];
  for (const { db, statusOptional, what } of sources) {
    notices.push(...captureNotices(db, what));
    if (db.content === undefined) continue;
    const parsed = parseDpkgStatus(decodeText(db.content), { statusOptional });
    for (const invalid of parsed.invalid) notices.push(invalidNotice(db.path, invalid.line, invalid.reason));
    for (const record of parsed.records) {
      const key = `${record.name}\0${record.architecture ?? ''}\0${record.version}`;
      if (seen.has(key)) continue;
      seen.add(key);
      packages.push(toPackage(record, db.path, context, settings.licenses ? fs : undefined));
    }
  }
  return { packages, notices };
}

function toPackage(
  record: DpkgRecord,
  location: string,
  context: DetectContext,
  fs: CapturedFilesystem | undefined,
): Package {
  const architecture = record.architecture ?? context.architecture;
  const source = record.source ?? { name: record.name };
  const pkg: Package = {
    type: 'deb',
    name: record.name,
    version: record.version,
    purl: debPurl(record, architecture, context.os),
    source,
    locations: [location],
  };
  if (architecture) pkg.architecture = architecture;
  const copyright = fs ? readLicenses(fs, record.name) : undefined;
  if (copyright && copyright.licenses.length > 0) {
    pkg.licenses = copyright.licenses;
    pkg.locations.push(copyright.path);
  }
  return pkg;
}

/**
 * `pkg:deb/<vendor>/<name>@<version>?arch=…&distro=…&upstream=…`: the version keeps its epoch
 * (`1:1.2.13.dfsg-1`), and `upstream` names the source package when it differs from the binary
 * package — with its version when dpkg recorded one — as Syft writes it.
 */
function debPurl(record: DpkgRecord, architecture: string | undefined, os: OsInfo | undefined): string {
  const source = record.source;
  let upstream: string | undefined;
  if (source?.version !== undefined) upstream = `${source.name}@${source.version}`;
  else if (source !== undefined && source.name !== record.name) upstream = source.name;
  return buildPurl('deb', os?.id ?? 'debian', record.name, record.version, {
    arch: architecture,
    distro: distroQualifier(os),
    upstream,
  });
}

function readLicenses(
  fs: CapturedFilesystem,
  name: string,
): { path: string; licenses: string[] } | undefined {
  const file = fs.get(`${DOC_DIR}${name}/copyright`);
  if (file?.content === undefined || file.content.length < file.size) return undefined;
  return { path: file.path, licenses: parseDep5Licenses(decodeText(file.content)) };
}

function invalidNotice(path: string, line: number, reason: string): ScanNotice {
  return {
    level: 'warning',
    code: OsNoticeCode.EntryInvalid,
    path,
    message: `${path} line ${line}: ${reason}; the package is skipped`,
  };
}
