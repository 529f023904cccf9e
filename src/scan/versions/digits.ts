/**
 * Character classes and unbounded integer comparison shared by the schemes. Version numbers
 * can exceed 2^53 (dates with times, build counters), so digit runs are compared as
 * decimal strings — by length after dropping leading zeros, then digit by digit — which is
 * exact at any size and allocates nothing.
 */

export function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

export function isAsciiLetter(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}

export function isLowerLetter(c: number): boolean {
  return c >= 97 && c <= 122;
}

export function isAlnum(c: number): boolean {
  return isDigit(c) || isAsciiLetter(c);
}

/** True when every character is printable ASCII other than space (0x21–0x7e). */
export function isPrintableAscii(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x21 || c > 0x7e) return false;
  }
  return true;
}

/** True for a non-empty string of ASCII digits. */
export function isDigits(text: string): boolean {
  if (text.length === 0) return false;
  for (let i = 0; i < text.length; i++) if (!isDigit(text.charCodeAt(i))) return false;
  return true;
}

/** Drops leading zeros from a digit string; all zeros (or empty) becomes "0". */
export function canonicalDigits(digits: string): string {
  let i = 0;
  while (i < digits.length - 1 && digits.charCodeAt(i) === 48) i++;
  const out = i === 0 ? digits : digits.slice(i);
  return out.length === 0 ? '0' : out;
}

/** Compares two canonical digit strings (no leading zeros) as integers. */
export function compareCanonical(a: string, b: string): number {
  if (a.length !== b.length) return a.length < b.length ? -1 : 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Compares the digit runs `a[aStart, aEnd)` and `b[bStart, bEnd)` as integers, ignoring
 * leading zeros; an empty run counts as zero.
 */
export function compareDigitRuns(
  a: string,
  aStart: number,
  aEnd: number,
  b: string,
  bStart: number,
  bEnd: number,
): number {
  while (aStart < aEnd && a.charCodeAt(aStart) === 48) aStart++;
  while (bStart < bEnd && b.charCodeAt(bStart) === 48) bStart++;
  const length = aEnd - aStart;
  if (length !== bEnd - bStart) return length < bEnd - bStart ? -1 : 1;
  for (let i = 0; i < length; i++) {
    const d = a.charCodeAt(aStart + i) - b.charCodeAt(bStart + i);
    if (d !== 0) return d < 0 ? -1 : 1;
  }
  return 0;
}

/** Compares `a[aStart, aEnd)` with `b[bStart, bEnd)` by code unit, a shorter prefix first (C `strcmp`). */
export function compareRanges(
  a: string,
  aStart: number,
  aEnd: number,
  b: string,
  bStart: number,
  bEnd: number,
): number {
  const length = Math.min(aEnd - aStart, bEnd - bStart);
  for (let i = 0; i < length; i++) {
    const d = a.charCodeAt(aStart + i) - b.charCodeAt(bStart + i);
    if (d !== 0) return d < 0 ? -1 : 1;
  }
  const la = aEnd - aStart;
  const lb = bEnd - bStart;
  return la === lb ? 0 : la < lb ? -1 : 1;
}

/** Plain code-unit string order, for identifiers compared "lexically in ASCII order". */
export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
