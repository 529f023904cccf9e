import { canonicalDigits, compareCanonical, compareStrings, isDigits } from './digits.js';
import type { VersionOrdering } from './types.js';

/**
 * Python version ordering, PEP 440 ("Version specifiers", now the PyPA version specifiers
 * specification) as the `packaging` library implements it: `[N!]N(.N)*[{a|b|rc}N][.postN][.devN][+local]`
 * with the spec's normalisation — case-insensitive, a leading `v`, surrounding whitespace,
 * `-`/`_`/`.` separators or none, `alpha`/`beta`/`c`/`pre`/`preview` for `a`/`b`/`rc`,
 * `rev`/`r` and `-N` for post releases, implicit 0 numbers (`1.0-alpha` is `1.0a0`).
 *
 * Order: epoch; release with trailing zeros ignored (`1.0` == `1`); then dev-only releases
 * < a < b < rc < final, each with its post releases after it and dev releases of a
 * segment before it (`1.0.dev1` < `1.0a1.dev1` < `1.0a1` < `1.0a1.post1.dev1` < `1.0a1.post1`
 * < `1.0` < `1.0.post1`); a local version is newer than the same public version, its
 * segments compared numerically when both are numbers, strings before numbers.
 *
 * Versions that are not PEP 440 (pip's removed "legacy" versions) are invalid.
 */
export interface Pep440Version {
  readonly epoch: string;
  /** Release numbers, canonical digits, trailing zeros removed. */
  readonly release: readonly string[];
  /** -1 dev-only release, 0 alpha, 1 beta, 2 release candidate, 3 final. */
  readonly preRank: number;
  readonly preNumber: string;
  /** 0 without a post release, 1 with one. */
  readonly postRank: number;
  readonly postNumber: string;
  /** 0 with a dev release, 1 without one. */
  readonly devRank: number;
  readonly devNumber: string;
  /** Local version segments (lowercase strings or canonical numbers); undefined without a local version. */
  readonly local: readonly LocalSegment[] | undefined;
}

interface LocalSegment {
  readonly numeric: boolean;
  readonly text: string;
}

// The `packaging` project's VERSION_PATTERN (without possessive quantifiers), anchored.
const PATTERN = new RegExp(
  '^\\s*v?' +
    '(?:(?<epoch>[0-9]+)!)?' +
    '(?<release>[0-9]+(?:\\.[0-9]+)*)' +
    '(?<pre>[-_.]?(?<preL>alpha|a|beta|b|preview|pre|c|rc)[-_.]?(?<preN>[0-9]+)?)?' +
    '(?<post>(?:-(?<postN1>[0-9]+))|(?:[-_.]?(?<postL>post|rev|r)[-_.]?(?<postN2>[0-9]+)?))?' +
    '(?<dev>[-_.]?(?<devL>dev)[-_.]?(?<devN>[0-9]+)?)?' +
    '(?:\\+(?<local>[a-z0-9]+(?:[-_.][a-z0-9]+)*))?' +
    '\\s*$',
  'i',
);

const PRE_RANK: Readonly<Record<string, number>> = {
  a: 0,
  alpha: 0,
  b: 1,
  beta: 1,
  c: 2,
  rc: 2,
  pre: 2,
  preview: 2,
};
const PRE_RANK_DEV_ONLY = -1;
const PRE_RANK_FINAL = 3;

export function parsePep440(text: string): Pep440Version | undefined {
  const groups = simpleRelease(text) ?? PATTERN.exec(text)?.groups;
  if (groups === undefined) return undefined;
  const release = trimZeros(groups.release!.split('.').map(canonicalDigits));
  const hasPre = groups.preL !== undefined;
  const hasPost = groups.post !== undefined;
  const hasDev = groups.dev !== undefined;
  return {
    epoch: canonicalDigits(groups.epoch ?? '0'),
    release,
    preRank: hasPre
      ? PRE_RANK[groups.preL!.toLowerCase()]!
      : hasDev && !hasPost
        ? PRE_RANK_DEV_ONLY
        : PRE_RANK_FINAL,
    preNumber: canonicalDigits(groups.preN ?? '0'),
    postRank: hasPost ? 1 : 0,
    postNumber: canonicalDigits(groups.postN1 ?? groups.postN2 ?? '0'),
    devRank: hasDev ? 0 : 1,
    devNumber: canonicalDigits(groups.devN ?? '0'),
    local: groups.local === undefined ? undefined : parseLocal(groups.local),
  };
}

export function comparePep440(a: Pep440Version, b: Pep440Version): number {
  return (
    compareCanonical(a.epoch, b.epoch) ||
    compareRelease(a.release, b.release) ||
    compareNumbers(a.preRank, b.preRank) ||
    compareCanonical(a.preNumber, b.preNumber) ||
    compareNumbers(a.postRank, b.postRank) ||
    compareCanonical(a.postNumber, b.postNumber) ||
    compareNumbers(a.devRank, b.devRank) ||
    compareCanonical(a.devNumber, b.devNumber) ||
    compareLocal(a.local, b.local)
  );
}

export const pep440Ordering: VersionOrdering<Pep440Version> = {
  scheme: 'pep440',
  parse: parsePep440,
  compare: comparePep440,
};

/** The common case, digits and dots only, without the regular expression. */
function simpleRelease(text: string): Record<string, string | undefined> | undefined {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c !== 46 && (c < 48 || c > 57)) return undefined;
  }
  return text.split('.').every(isDigits) ? { release: text } : undefined;
}

function trimZeros(release: string[]): string[] {
  let end = release.length;
  while (end > 0 && release[end - 1] === '0') end--;
  return end === release.length ? release : release.slice(0, end);
}

function parseLocal(local: string): LocalSegment[] {
  return local
    .split(/[-_.]/)
    .map((part) =>
      isDigits(part)
        ? { numeric: true, text: canonicalDigits(part) }
        : { numeric: false, text: part.toLowerCase() },
    );
}

function compareNumbers(a: number, b: number): number {
  return a === b ? 0 : a < b ? -1 : 1;
}

function compareRelease(a: readonly string[], b: readonly string[]): number {
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) {
    const byNumber = compareCanonical(a[i]!, b[i]!);
    if (byNumber !== 0) return byNumber;
  }
  return compareNumbers(a.length, b.length);
}

function compareLocal(
  a: readonly LocalSegment[] | undefined,
  b: readonly LocalSegment[] | undefined,
): number {
  if (a === undefined || b === undefined) return a === b ? 0 : a === undefined ? -1 : 1;
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (x.numeric !== y.numeric) return x.numeric ? 1 : -1;
    const bySegment = x.numeric ? compareCanonical(x.text, y.text) : compareStrings(x.text, y.text);
    if (bySegment !== 0) return bySegment;
  }
  return compareNumbers(a.length, b.length);
}
