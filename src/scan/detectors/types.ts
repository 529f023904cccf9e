import type { OsInfo, Package, ScanNotice } from '../inventory/types.js';
import type { CapturedFilesystem, FileSelector } from '../layers/types.js';

export interface DetectContext {
  fs: CapturedFilesystem;
  /** The OS detected first (os-release), for purl qualifiers and package types. */
  os?: OsInfo;
  /** Image architecture (`amd64`), for purls when the package database has none. */
  architecture?: string;
}

export interface DetectorResult {
  packages: Package[];
  notices?: ScanNotice[];
}

/**
 * A detector reads one kind of package database. It says which files it needs (so the layer
 * reader captures only those) and turns them into packages. Detectors are pure: no I/O
 * besides the captured files they are given.
 */
export interface Detector extends FileSelector {
  readonly name: string;
  detect(context: DetectContext): Promise<DetectorResult> | DetectorResult;
}
