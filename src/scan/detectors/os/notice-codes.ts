/**
 * Codes of the notices the OS detectors emit (`ScanNotice.code`). Stable: reports and policies
 * may refer to them.
 */
export const OsNoticeCode = {
  /** No os-release or fallback file: packages are not tied to a distribution release. */
  OsUnknown: 'SCAN_OS_UNKNOWN',
  /** A package database is present but was not captured (larger than the detector's cap). */
  DatabaseNotRead: 'SCAN_PACKAGE_DB_NOT_READ',
  /** A package database was captured only in part; packages past the cut are missing. */
  DatabaseTruncated: 'SCAN_PACKAGE_DB_TRUNCATED',
  /** One record of a package database lacks required fields or cannot be decoded; it is skipped. */
  EntryInvalid: 'SCAN_PACKAGE_ENTRY_INVALID',
  /** An rpm database in a format this release does not read (BerkeleyDB, NDB). */
  RpmdbUnsupported: 'SCAN_RPMDB_UNSUPPORTED',
  /** The SQLite rpm database could not be opened or queried. */
  RpmdbUnreadable: 'SCAN_RPMDB_UNREADABLE',
  /** The rpm database has a non-empty write-ahead log that was not merged into the database file. */
  RpmdbWalPending: 'SCAN_RPMDB_WAL_PENDING',
} as const;

export type OsNoticeCode = (typeof OsNoticeCode)[keyof typeof OsNoticeCode];
