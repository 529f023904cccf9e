import { AppError } from '../../../kernel/index.js';
import { RpmHeader, RpmTag } from './rpm-header.js';

/** The fields of an installed rpm package that the inventory needs. */
export interface RpmRecord {
  name: string;
  version: string;
  release: string;
  epoch?: number;
  architecture?: string;
  license?: string;
  /** `SOURCERPM`, e.g. `openssl-3.0.7-27.el9.src.rpm`. */
  sourceRpm?: string;
}

/**
 * Names the rpm database holds that are not packages: imported public keys are stored as
 * `gpg-pubkey` headers (version = key id, release = creation time).
 */
const PSEUDO_PACKAGES = new Set(['gpg-pubkey']);

export function isRpmPseudoPackage(name: string): boolean {
  return PSEUDO_PACKAGES.has(name);
}

/**
 * Reads the package fields of a header blob; undefined for pseudo-packages. Throws
 * SCAN_PACKAGE_DB_INVALID when the blob is damaged or lacks a name, version or release.
 */
export function readRpmRecord(blob: Uint8Array): RpmRecord | undefined {
  const header = RpmHeader.parse(blob);
  const name = header.getString(RpmTag.Name);
  if (name !== undefined && isRpmPseudoPackage(name)) return undefined;
  const version = header.getString(RpmTag.Version);
  const release = header.getString(RpmTag.Release);
  if (!name || !version || !release) {
    const missing = !name ? 'NAME' : !version ? 'VERSION' : 'RELEASE';
    throw new AppError(
      'SCAN_PACKAGE_DB_INVALID',
      `rpm header${name ? ` of ${name}` : ''} has no ${missing} tag`,
      {
        details: { missing },
      },
    );
  }
  const record: RpmRecord = { name, version, release };
  const epoch = header.getNumber(RpmTag.Epoch);
  if (epoch !== undefined) record.epoch = epoch;
  const architecture = header.getString(RpmTag.Arch);
  if (architecture) record.architecture = architecture;
  const license = header.getString(RpmTag.License);
  if (license) record.license = license;
  const sourceRpm = header.getString(RpmTag.SourceRpm);
  if (sourceRpm) record.sourceRpm = sourceRpm;
  return record;
}

/**
 * `<epoch>:<version>-<release>`, the form rpm compares and vulnerability data states; the epoch
 * is left out when absent or 0, which rpm treats alike.
 */
export function rpmEvr(record: RpmRecord): string {
  const vr = `${record.version}-${record.release}`;
  return record.epoch ? `${record.epoch}:${vr}` : vr;
}

/**
 * Splits a source rpm file name into the source package's name and `version-release`:
 * `openssl-3.0.7-27.el9.src.rpm` → `openssl`, `3.0.7-27.el9`. Names may contain dashes;
 * version and release may not, so the last two dashes separate them. Undefined for names
 * that do not have that shape.
 */
export function parseSourceRpm(fileName: string): { name: string; versionRelease: string } | undefined {
  const base = fileName.replace(/\.(?:no)?src\.rpm$/, '');
  if (base === fileName) return undefined;
  const releaseDash = base.lastIndexOf('-');
  const versionDash = releaseDash > 0 ? base.lastIndexOf('-', releaseDash - 1) : -1;
  if (versionDash <= 0 || releaseDash === versionDash + 1 || releaseDash === base.length - 1)
    return undefined;
  return { name: base.slice(0, versionDash), versionRelease: base.slice(versionDash + 1) };
}
