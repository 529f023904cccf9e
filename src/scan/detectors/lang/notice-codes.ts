/**
 * Codes of the notices the language-package detectors emit (`ScanNotice.code`). Stable:
 * reports and policies may refer to them.
 */
export const LangNoticeCode = {
  /** A manifest (package.json, METADATA, gemspec) could not be parsed or lacks name or version; skipped. */
  ManifestInvalid: 'SCAN_LANG_MANIFEST_INVALID',
  /** An executable has Go build info that could not be read completely; its modules are missing. */
  GoBuildInfoUnreadable: 'SCAN_GO_BUILDINFO_UNREADABLE',
  /** A Java archive is larger than the detector reads; its packages are missing. */
  ArchiveTooLarge: 'SCAN_JAVA_ARCHIVE_TOO_LARGE',
  /** A Java archive is not a readable zip file (corrupt, encrypted, or an unsupported compression method). */
  ArchiveUnreadable: 'SCAN_JAVA_ARCHIVE_UNREADABLE',
  /** Nested archives beyond the depth or size bounds were not opened; their packages are missing. */
  ArchiveNestingLimit: 'SCAN_JAVA_ARCHIVE_NESTING_LIMIT',
} as const;

export type LangNoticeCode = (typeof LangNoticeCode)[keyof typeof LangNoticeCode];
