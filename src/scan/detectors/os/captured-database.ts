import type { ScanNotice } from '../../inventory/types.js';
import type { CapturedFile, CapturedFilesystem } from '../../layers/types.js';
import { OsNoticeCode } from './notice-codes.js';

/** A package database as captured, with its bytes and what went wrong capturing it. */
export interface CapturedDatabase {
  /** The path the file was captured at (after symlinks). */
  path: string;
  /** Absent when the file is present but was not captured. */
  content?: Buffer;
  file?: CapturedFile;
}

/**
 * The distinct databases among `candidates`: two candidate paths often name one file through
 * a symlink (`/var/lib/rpm` → `/usr/lib/sysimage/rpm`), which must be read once. When none
 * was captured but one exists, it is returned without content, so that the caller can say so.
 */
export function locateDatabases(fs: CapturedFilesystem, candidates: readonly string[]): CapturedDatabase[] {
  const captured = new Map<string, CapturedDatabase>();
  let uncaptured: string | undefined;
  for (const path of candidates) {
    const file = fs.get(path);
    if (file && !captured.has(file.path))
      captured.set(file.path, { path: file.path, file, content: file.content });
    else if (!file && uncaptured === undefined && fs.exists(path)) uncaptured = path;
  }
  if (captured.size === 0 && uncaptured !== undefined) return [{ path: uncaptured }];
  return [...captured.values()];
}

/**
 * Notices for a database that was not captured or was captured in part. `what` names the
 * database for the message (`dpkg status database`).
 */
export function captureNotices(db: CapturedDatabase, what: string): ScanNotice[] {
  if (db.content === undefined) {
    return [
      {
        level: 'warning',
        code: OsNoticeCode.DatabaseNotRead,
        path: db.path,
        message: `${what} ${db.path} was not read (larger than the capture limit or not a regular file); its packages are missing from the inventory`,
      },
    ];
  }
  if (db.file && db.content.length < db.file.size) {
    return [
      {
        level: 'warning',
        code: OsNoticeCode.DatabaseTruncated,
        path: db.path,
        message: `${what} ${db.path} was read only in part (${db.content.length} of ${db.file.size} bytes); packages past the cut are missing`,
      },
    ];
  }
  return [];
}
