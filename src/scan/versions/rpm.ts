import {
  canonicalDigits,
  compareCanonical,
  compareDigitRuns,
  compareRanges,
  isAlnum,
  isAsciiLetter,
  isDigit,
  isPrintableAscii,
} from './digits.js';
import type { VersionOrdering } from './types.js';

/**
 * RPM version ordering as rpm 4.18+ implements it: `[epoch:]version[-release]` split like
 * `rpmverParse` (the epoch is the leading digits before a `:`, the release follows the last
 * `-`), compared like `rpmverCmp` — epoch (missing means 0), then version, then release
 * with `rpmvercmp`. A missing release sorts before any release (`1.0` < `1.0-1`), as in
 * `rpm.vercmp`; dependency matching, which treats a missing release as a wildcard, is a
 * different question.
 *
 * `rpmvercmp` compares maximal runs of digits (numerically) or letters (by byte), skipping
 * other characters as separators; a digit run is newer than a letter run; `~` sorts before
 * everything, even the end of the string (`1.0~rc1` < `1.0`); `^` sorts after the end but
 * before any further segment (`1.0` < `1.0^git1` < `1.0.1`).
 *
 * Valid: printable ASCII without spaces, a non-empty version, a non-empty release after a
 * `-`, an epoch of digits when a `:` follows leading digits, and no `:` after that (rpmbuild
 * rejects it in Version and Release).
 */
export interface RpmVersion {
  /** Canonical digits; "0" when the version has no epoch. */
  readonly epoch: string;
  readonly version: string;
  /** Undefined when there is no `-release`. */
  readonly release: string | undefined;
}

const TILDE = 126;
const CARET = 94;

export function parseRpmVersion(text: string): RpmVersion | undefined {
  if (text.length === 0 || !isPrintableAscii(text)) return undefined;
  let s = 0;
  while (s < text.length && isDigit(text.charCodeAt(s))) s++;
  let epoch = '0';
  let start = 0;
  if (text.charCodeAt(s) === 58 /* : */) {
    if (s === 0) return undefined;
    epoch = canonicalDigits(text.slice(0, s));
    start = s + 1;
  }
  const hyphen = text.lastIndexOf('-');
  const version = hyphen >= start ? text.slice(start, hyphen) : text.slice(start);
  const release = hyphen >= start ? text.slice(hyphen + 1) : undefined;
  if (version.length === 0 || release === '') return undefined;
  if (version.includes(':') || (release !== undefined && release.includes(':'))) return undefined;
  return { epoch, version, release };
}

export function compareRpmVersions(a: RpmVersion, b: RpmVersion): number {
  const byEpoch = compareCanonical(a.epoch, b.epoch);
  if (byEpoch !== 0) return byEpoch;
  const byVersion = rpmvercmp(a.version, b.version);
  if (byVersion !== 0) return byVersion;
  if (a.release === undefined || b.release === undefined) {
    return a.release === b.release ? 0 : a.release === undefined ? -1 : 1;
  }
  return rpmvercmp(a.release, b.release);
}

export const rpmOrdering: VersionOrdering<RpmVersion> = {
  scheme: 'rpm',
  parse: parseRpmVersion,
  compare: compareRpmVersions,
};

function isSeparator(c: number): boolean {
  return !isAlnum(c) && c !== TILDE && c !== CARET;
}

/** rpm's `rpmvercmp` (rpmio/rpmvercmp.c) on one version or release string. */
export function rpmvercmp(a: string, b: string): number {
  if (a === b) return 0;
  const la = a.length;
  const lb = b.length;
  let i = 0;
  let j = 0;
  while (i < la || j < lb) {
    while (i < la && isSeparator(a.charCodeAt(i))) i++;
    while (j < lb && isSeparator(b.charCodeAt(j))) j++;
    const ca = i < la ? a.charCodeAt(i) : 0;
    const cb = j < lb ? b.charCodeAt(j) : 0;
    if (ca === TILDE || cb === TILDE) {
      if (ca !== TILDE) return 1;
      if (cb !== TILDE) return -1;
      i++;
      j++;
      continue;
    }
    if (ca === CARET || cb === CARET) {
      if (i >= la) return -1;
      if (j >= lb) return 1;
      if (ca !== CARET) return 1;
      if (cb !== CARET) return -1;
      i++;
      j++;
      continue;
    }
    if (i >= la || j >= lb) break;
    const numeric = isDigit(ca);
    const isSegment = numeric ? isDigit : isAsciiLetter;
    let ei = i;
    let ej = j;
    while (ei < la && isSegment(a.charCodeAt(ei))) ei++;
    while (ej < lb && isSegment(b.charCodeAt(ej))) ej++;
    // Segments of different kinds: a number is newer than letters.
    if (ej === j) return numeric ? 1 : -1;
    const byValue = numeric ? compareDigitRuns(a, i, ei, b, j, ej) : compareRanges(a, i, ei, b, j, ej);
    if (byValue !== 0) return byValue;
    i = ei;
    j = ej;
  }
  if (i >= la && j >= lb) return 0;
  return i >= la ? -1 : 1;
}
