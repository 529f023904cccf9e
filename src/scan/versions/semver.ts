import { canonicalDigits, compareCanonical, compareStrings, isAlnum, isDigit, isDigits } from './digits.js';
import type { VersionOrdering } from './types.js';

/**
 * Semantic Versioning 2.0.0 precedence (§11), the ordering of OSV's `SEMVER` range type
 * (npm, Go, crates.io, …): major, minor and patch numerically; a pre-release is older than
 * its release; pre-release identifiers compared left to right, numeric ones numerically and
 * before alphanumeric ones (compared in ASCII order), a shorter list first when one is a
 * prefix of the other. Build metadata is ignored: `1.0.0+a` equals `1.0.0+b`, and Go's
 * `v2.0.0+incompatible` equals `v2.0.0`.
 *
 * Parsing accepts what osv.dev accepts (its `semver_index.coerce`), so that versions in OSV
 * records and the installed versions Airlock finds are read alike: a leading `v` (Go),
 * a missing minor or patch (`1.2` is `1.2.0`), leading zeros in numbers (`01.2.3`,
 * `1.0.0-rc.01`), and empty pre-release or build identifiers (read as `-`). Anything else
 * must be semver 2.0.0: `MAJOR.MINOR.PATCH[-PRERELEASE][+BUILD]` with identifiers of
 * `[0-9A-Za-z-]`.
 */
export interface SemverVersion {
  readonly major: string;
  readonly minor: string;
  readonly patch: string;
  /** Pre-release identifiers; empty for a release. Numeric ones are canonical digits. */
  readonly prerelease: readonly PrereleaseIdentifier[];
}

interface PrereleaseIdentifier {
  readonly numeric: boolean;
  readonly text: string;
}

const HYPHEN = 45;
const PLUS = 43;
const DOT = 46;

export function parseSemver(text: string): SemverVersion | undefined {
  let pos = text.charCodeAt(0) === 118 /* v */ ? 1 : 0;
  const numbers: string[] = [];
  for (let n = 0; n < 3; n++) {
    if (n > 0 && !(text.charCodeAt(pos) === DOT && isDigit(text.charCodeAt(pos + 1)))) break;
    const start = n > 0 ? pos + 1 : pos;
    let end = start;
    while (end < text.length && isDigit(text.charCodeAt(end))) end++;
    if (end === start) return undefined;
    numbers.push(canonicalDigits(text.slice(start, end)));
    pos = end;
  }
  let prerelease: PrereleaseIdentifier[] = [];
  if (text.charCodeAt(pos) === HYPHEN) {
    let end = text.indexOf('+', pos);
    if (end < 0) end = text.length;
    const identifiers = parsePrerelease(text.slice(pos + 1, end));
    if (identifiers === undefined) return undefined;
    prerelease = identifiers;
    pos = end;
  }
  if (text.charCodeAt(pos) === PLUS) {
    if (!isValidBuild(text.slice(pos + 1))) return undefined;
    pos = text.length;
  }
  if (pos !== text.length) return undefined;
  return { major: numbers[0]!, minor: numbers[1] ?? '0', patch: numbers[2] ?? '0', prerelease };
}

export function compareSemver(a: SemverVersion, b: SemverVersion): number {
  const core =
    compareCanonical(a.major, b.major) ||
    compareCanonical(a.minor, b.minor) ||
    compareCanonical(a.patch, b.patch);
  if (core !== 0) return core;
  const pa = a.prerelease;
  const pb = b.prerelease;
  if (pa.length === 0 || pb.length === 0) return pa.length === pb.length ? 0 : pa.length === 0 ? 1 : -1;
  const length = Math.min(pa.length, pb.length);
  for (let i = 0; i < length; i++) {
    const x = pa[i]!;
    const y = pb[i]!;
    if (x.numeric !== y.numeric) return x.numeric ? -1 : 1;
    const byIdentifier = x.numeric ? compareCanonical(x.text, y.text) : compareStrings(x.text, y.text);
    if (byIdentifier !== 0) return byIdentifier;
  }
  return pa.length === pb.length ? 0 : pa.length < pb.length ? -1 : 1;
}

export const semverOrdering: VersionOrdering<SemverVersion> = {
  scheme: 'semver',
  parse: parseSemver,
  compare: compareSemver,
};

function parsePrerelease(text: string): PrereleaseIdentifier[] | undefined {
  const identifiers: PrereleaseIdentifier[] = [];
  for (const part of text.split('.')) {
    if (part.length === 0) {
      identifiers.push({ numeric: false, text: '-' });
    } else if (isDigits(part)) {
      identifiers.push({ numeric: true, text: canonicalDigits(part) });
    } else if (isIdentifier(part)) {
      identifiers.push({ numeric: false, text: part });
    } else {
      return undefined;
    }
  }
  return identifiers;
}

function isValidBuild(text: string): boolean {
  return text.split('.').every((part) => part.length === 0 || isIdentifier(part));
}

function isIdentifier(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (!isAlnum(c) && c !== HYPHEN) return false;
  }
  return true;
}
