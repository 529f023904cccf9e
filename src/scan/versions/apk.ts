import { compareDigitRuns, compareRanges, isDigit, isLowerLetter } from './digits.js';
import type { VersionOrdering } from './types.js';

/**
 * Alpine (apk) version ordering as apk-tools implements it (`src/version.c`, the token
 * grammar of apk-tools 3, which Alpine, Wolfi and Chainguard versions follow):
 *
 *     digit{.digit}...{letter}{_suffix{digits}}...{~hash}{-r digits}
 *
 * Versions are compared token by token while both have a token of the same kind: numbers
 * numerically (a component after a dot with a leading zero compares as a string, as in
 * Gentoo's rules: `1.02` < `1.1`), the letter by character, suffixes in the order
 * `_alpha` < `_beta` < `_pre` < `_rc` < (none) < `_cvs` < `_svn` < `_git` < `_hg` < `_p`,
 * the commit hash as a string, `-rN` numerically. When one version has more tokens, it is
 * newer unless its next token is a pre-release suffix (`1.0_rc1` < `1.0` < `1.0_p1` <
 * `1.0-r1` < `1.0.1`).
 *
 * apk-tools 2 compares every version both accept the same way except for components with
 * two or more leading zeros (`1.0` vs `1.00`); it also accepted a letter followed by digits
 * (`1.0a1`), which apk-tools 3 and this parser reject. Numbers are compared exactly at any
 * length, where apk-tools wraps at 2^64.
 */

/** Token kinds, in apk-tools' order: a version whose next token kind is larger is older. */
const Token = {
  InitialDigit: 0,
  Digit: 1,
  Letter: 2,
  Suffix: 3,
  SuffixNumber: 4,
  CommitHash: 5,
  Revision: 6,
  End: 7,
} as const;
type Token = (typeof Token)[keyof typeof Token];

/** Suffix ranks; `None` (5) is the rank of a version without a suffix. */
const SUFFIXES: Readonly<Record<string, number>> = {
  alpha: 1,
  beta: 2,
  pre: 3,
  rc: 4,
  cvs: 6,
  svn: 7,
  git: 8,
  hg: 9,
  p: 10,
};
const SUFFIX_NONE = 5;

interface ApkToken {
  readonly type: Token;
  /** The token's characters: digits, the letter, the suffix word or the hash. */
  readonly text: string;
  /**
   * The token's value as a number when one decides the comparison: the letter's code, the
   * suffix rank, a number of up to 15 digits (not for a dot component with a leading zero,
   * which compares as a string). NaN otherwise, for the slower exact comparison.
   */
  readonly key: number;
}

/** Numbers this long are exact as doubles (< 2^53). */
const SAFE_DIGITS = 15;

export interface ApkVersion {
  /** Tokens, the last one always `End`. */
  readonly tokens: readonly ApkToken[];
}

export function parseApkVersion(text: string): ApkVersion | undefined {
  const tokens: ApkToken[] = [];
  let type: Token = Token.InitialDigit;
  let pos = scanWhile(text, 0, isDigit);
  if (pos === 0) return undefined;
  tokens.push(numberToken(type, text.slice(0, pos)));
  while (pos < text.length) {
    const next = nextToken(text, pos, type);
    if (next === undefined) return undefined;
    tokens.push(next.token);
    type = next.token.type;
    pos = next.end;
  }
  tokens.push({ type: Token.End, text: '', key: 0 });
  return { tokens };
}

export function compareApkVersions(a: ApkVersion, b: ApkVersion): number {
  const ta = a.tokens;
  const tb = b.tokens;
  let k = 0;
  for (; ta[k]!.type === tb[k]!.type && ta[k]!.type !== Token.End; k++) {
    const byToken = compareTokens(ta[k]!, tb[k]!);
    if (byToken !== 0) return byToken;
  }
  const x = ta[k]!;
  const y = tb[k]!;
  if (x.type === y.type) return 0;
  if (x.type === Token.Suffix && x.key < SUFFIX_NONE) return -1;
  if (y.type === Token.Suffix && y.key < SUFFIX_NONE) return 1;
  return x.type > y.type ? -1 : 1;
}

export const apkOrdering: VersionOrdering<ApkVersion> = {
  scheme: 'apk',
  parse: parseApkVersion,
  compare: compareApkVersions,
};

function compareTokens(x: ApkToken, y: ApkToken): number {
  const kx = x.key;
  const ky = y.key;
  if (!Number.isNaN(kx) && !Number.isNaN(ky)) return kx === ky ? 0 : kx < ky ? -1 : 1;
  // Long numbers, dot components with a leading zero, commit hashes.
  if (
    x.type === Token.CommitHash ||
    (x.type === Token.Digit && (x.text.charCodeAt(0) === 48 || y.text.charCodeAt(0) === 48))
  ) {
    return compareRanges(x.text, 0, x.text.length, y.text, 0, y.text.length);
  }
  return compareDigitRuns(x.text, 0, x.text.length, y.text, 0, y.text.length);
}

function numberToken(type: Token, digits: string): ApkToken {
  const stringLike = type === Token.Digit && digits.charCodeAt(0) === 48;
  const key = stringLike || digits.length > SAFE_DIGITS ? NaN : Number(digits);
  return { type, text: digits, key };
}

function scanWhile(text: string, from: number, accept: (c: number) => boolean): number {
  let end = from;
  while (end < text.length && accept(text.charCodeAt(end))) end++;
  return end;
}

function isHexDigit(c: number): boolean {
  return isDigit(c) || (c >= 97 && c <= 102);
}

/** apk-tools' `token_next`: the token starting at `pos` after a token of type `previous`. */
function nextToken(text: string, pos: number, previous: Token): { token: ApkToken; end: number } | undefined {
  const c = text.charCodeAt(pos);
  if (isLowerLetter(c)) {
    if (previous > Token.Digit) return undefined;
    return { token: { type: Token.Letter, text: text[pos]!, key: c }, end: pos + 1 };
  }
  if (c === 46 /* . */ || isDigit(c)) {
    if (c === 46 && previous > Token.Digit) return undefined;
    const type =
      previous <= Token.Digit ? Token.Digit : previous === Token.Suffix ? Token.SuffixNumber : undefined;
    if (type === undefined) return undefined;
    const start = c === 46 ? pos + 1 : pos;
    return digitsToken(text, start, type);
  }
  if (c === 95 /* _ */) {
    if (previous > Token.SuffixNumber) return undefined;
    const end = scanWhile(text, pos + 1, isLowerLetter);
    const word = text.slice(pos + 1, end);
    const rank = Object.hasOwn(SUFFIXES, word) ? SUFFIXES[word]! : 0;
    if (rank === 0) return undefined;
    return { token: { type: Token.Suffix, text: word, key: rank }, end };
  }
  if (c === 126 /* ~ */) {
    if (previous >= Token.CommitHash) return undefined;
    const end = scanWhile(text, pos + 1, isHexDigit);
    if (end === pos + 1) return undefined;
    return { token: { type: Token.CommitHash, text: text.slice(pos + 1, end), key: NaN }, end };
  }
  if (c === 45 /* - */) {
    if (previous >= Token.Revision || text.charCodeAt(pos + 1) !== 114 /* r */) return undefined;
    return digitsToken(text, pos + 2, Token.Revision);
  }
  return undefined;
}

function digitsToken(text: string, start: number, type: Token): { token: ApkToken; end: number } | undefined {
  const end = scanWhile(text, start, isDigit);
  if (end === start) return undefined;
  return { token: numberToken(type, text.slice(start, end)), end };
}
