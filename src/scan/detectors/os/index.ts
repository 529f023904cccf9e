export {
  detectOs,
  osReleaseDetector,
  parseOsRelease,
  osInfoFromRelease,
  OS_RELEASE_PATHS,
} from './os-release.js';
export {
  dpkgDetector,
  createDpkgDetector,
  DPKG_STATUS_PATH,
  DPKG_STATUS_DIR,
  type DpkgDetectorOptions,
} from './dpkg.js';
export { parseDpkgStatus, isInstalledStatus, type DpkgRecord, type DpkgParseResult } from './dpkg-status.js';
export { parseDep5Licenses } from './dpkg-copyright.js';
export { apkDetector, createApkDetector, APK_INSTALLED_PATHS, type ApkDetectorOptions } from './apk.js';
export { parseApkInstalled, type ApkRecord, type ApkParseResult } from './apk-installed.js';
export { rpmDetector, createRpmDetector, RPMDB_SQLITE_PATHS, type RpmDetectorOptions } from './rpm.js';
export { RpmHeader, RpmTag, RpmTagType } from './rpm-header.js';
export { parseRpmManifest, RPM_MANIFEST_PATH, type RpmManifestParseResult } from './rpm-manifest.js';
export { readRpmRecord, parseSourceRpm, rpmEvr, type RpmRecord } from './rpm-record.js';
export { OsNoticeCode } from './notice-codes.js';
export { osDetectors } from './os-detectors.js';
