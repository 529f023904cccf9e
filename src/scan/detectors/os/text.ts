const utf8 = new TextDecoder('utf-8', { fatal: false, ignoreBOM: false });

/**
 * Package databases are UTF-8 in practice (dpkg, apk, os-release); invalid bytes become
 * U+FFFD instead of failing the file, so one odd maintainer name cannot hide every package.
 */
export function decodeText(bytes: Uint8Array): string {
  return utf8.decode(bytes);
}
