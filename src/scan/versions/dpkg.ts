import { isAlnum, isAsciiLetter, isDigit, isPrintableAscii } from './digits.js';
import type { VersionOrdering } from './types.js';

/**
 * Debian version ordering, Debian Policy §5.6.12 ("Version"), as dpkg implements it
 * (`lib/dpkg/version.c` `verrevcmp`): `[epoch:]upstream_version[-debian_revision]`,
 * compared epoch first (numerically), then upstream version, then revision. Each part is
 * compared left to right in alternating non-digit and digit runs: non-digit runs
 * character by character with `~` before the end of the run, the end before letters, and
 * letters before all other characters; digit runs numerically.
 *
 * Valid means what dpkg accepts without an error or a warning (`parseversion`): an epoch of
 * digits no larger than 2^31−1, a non-empty upstream version starting with a digit and made
 * of alphanumerics and `. + ~ - :`, a non-empty revision (when there is a `-`) of
 * alphanumerics and `. + ~`. Stricter than dpkg in one respect: surrounding whitespace, which
 * dpkg trims, is rejected.
 */
export interface DpkgVersion {
  readonly epoch: number;
  readonly upstream: string;
  /** Empty when the version has no revision; dpkg treats that like `0`. */
  readonly revision: string;
}

const EPOCH_MAX = 2147483647;
const TILDE = 126;

export function parseDpkgVersion(text: string): DpkgVersion | undefined {
  if (text.length === 0 || !isPrintableAscii(text)) return undefined;
  let rest = text;
  let epoch = 0;
  const colon = text.indexOf(':');
  if (colon >= 0) {
    // dpkg splits at the first colon: everything before it must be the epoch.
    if (colon === 0) return undefined;
    for (let i = 0; i < colon; i++) if (!isDigit(text.charCodeAt(i))) return undefined;
    epoch = Number(text.slice(0, colon));
    if (epoch > EPOCH_MAX) return undefined;
    rest = text.slice(colon + 1);
  }
  const hyphen = rest.lastIndexOf('-');
  const upstream = hyphen < 0 ? rest : rest.slice(0, hyphen);
  const revision = hyphen < 0 ? '' : rest.slice(hyphen + 1);
  if (upstream.length === 0 || (hyphen >= 0 && revision.length === 0)) return undefined;
  if (!isDigit(upstream.charCodeAt(0))) return undefined;
  if (!hasOnly(upstream, '.+~-:') || !hasOnly(revision, '.+~')) return undefined;
  return { epoch, upstream, revision };
}

export function compareDpkgVersions(a: DpkgVersion, b: DpkgVersion): number {
  if (a.epoch !== b.epoch) return a.epoch < b.epoch ? -1 : 1;
  return verrevcmp(a.upstream, b.upstream) || verrevcmp(a.revision, b.revision);
}

export const dpkgOrdering: VersionOrdering<DpkgVersion> = {
  scheme: 'dpkg',
  parse: parseDpkgVersion,
  compare: compareDpkgVersions,
};

function hasOnly(text: string, punctuation: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (!isAlnum(c) && punctuation.indexOf(text[i]!) < 0) return false;
  }
  return true;
}

/** Weight of a character in a non-digit run; 0 for the end of the run (a digit or the end). */
function order(c: number): number {
  if (isDigit(c)) return 0;
  if (isAsciiLetter(c)) return c;
  if (c === TILDE) return -1;
  return c + 256;
}

/** dpkg's `verrevcmp` on one part (upstream version or revision). */
function verrevcmp(a: string, b: string): number {
  if (a === b) return 0;
  const la = a.length;
  const lb = b.length;
  let i = 0;
  let j = 0;
  while (i < la || j < lb) {
    while ((i < la && !isDigit(a.charCodeAt(i))) || (j < lb && !isDigit(b.charCodeAt(j)))) {
      const ac = i < la ? order(a.charCodeAt(i)) : 0;
      const bc = j < lb ? order(b.charCodeAt(j)) : 0;
      if (ac !== bc) return ac < bc ? -1 : 1;
      i++;
      j++;
    }
    while (i < la && a.charCodeAt(i) === 48) i++;
    while (j < lb && b.charCodeAt(j) === 48) j++;
    let firstDiff = 0;
    while (i < la && j < lb && isDigit(a.charCodeAt(i)) && isDigit(b.charCodeAt(j))) {
      if (firstDiff === 0) firstDiff = a.charCodeAt(i) - b.charCodeAt(j);
      i++;
      j++;
    }
    if (i < la && isDigit(a.charCodeAt(i))) return 1;
    if (j < lb && isDigit(b.charCodeAt(j))) return -1;
    if (firstDiff !== 0) return firstDiff < 0 ? -1 : 1;
  }
  return 0;
}
