import { canonicalDigits, compareCanonical, compareStrings } from './digits.js';
import type { VersionOrdering } from './types.js';

/**
 * RubyGems version ordering, `Gem::Version#<=>` of current RubyGems: `-` is read as
 * `.pre.` (`1.0.0-rc1` is `1.0.0.pre.rc1`), the version is split into numbers and letter
 * runs, trailing zeros are dropped (and, for pre-releases, the zeros between the release
 * numbers and the first letters: `1.0.a` == `1.a`), then segments are compared in turn:
 * numbers numerically, strings by byte (case-sensitive), a string older than a number;
 * when one version runs out, the other is newer if its next segment is a non-zero
 * number and older if it is a string (`1.0.a` < `1.0` < `1.0.1`).
 *
 * Valid: `Gem::Version.correct?` — `N(.X)*(-X(.X)*)?` with alphanumeric `X` (and `-` after
 * the first `-`), surrounded by optional whitespace; a blank string is version `0`.
 */
export interface GemVersion {
  /** `@version` after stripping and `-` → `.pre.`, for the equality shortcut. */
  readonly version: string;
  /** `canonical_segments`: numbers as canonical digits, letter runs as they are. */
  readonly segments: readonly GemSegment[];
}

interface GemSegment {
  readonly numeric: boolean;
  readonly text: string;
}

// Gem::Version::ANCHORED_VERSION_PATTERN; Ruby's \s is [ \t\r\n\f\v].
const PATTERN =
  /^[ \t\r\n\f\v]*([0-9]+(?:\.[0-9a-zA-Z]+)*(?:-[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?)?[ \t\r\n\f\v]*$/;

export function parseGemVersion(text: string): GemVersion | undefined {
  const match = PATTERN.exec(text);
  if (match === null) return undefined;
  const version = (match[1] ?? '0').replaceAll('-', '.pre.');
  let canonical = version.replace(/(?<=[a-zA-Z.])[.0]+$/, '');
  if (/[a-zA-Z]/.test(version)) canonical = canonical.replace(/(?<=\.|^)[0.]+(?=[a-zA-Z])/, '');
  const segments = (canonical.match(/[0-9]+|[a-zA-Z]+/g) ?? []).map((s) =>
    /^[0-9]/.test(s) ? { numeric: true, text: canonicalDigits(s) } : { numeric: false, text: s },
  );
  return { version, segments };
}

export function compareGemVersions(a: GemVersion, b: GemVersion): number {
  if (a.version === b.version) return 0;
  const left = a.segments;
  const right = b.segments;
  const limit = Math.min(left.length, right.length);
  let i = 0;
  for (; i < limit; i++) {
    const x = left[i]!;
    const y = right[i]!;
    if (x.numeric !== y.numeric) return x.numeric ? 1 : -1;
    const bySegment = x.numeric ? compareCanonical(x.text, y.text) : compareStrings(x.text, y.text);
    if (bySegment !== 0) return bySegment;
  }
  // The longer version decides by its first segment that is not a zero.
  const [rest, sign] = left.length > i ? [left, 1] : [right, -1];
  for (; i < rest.length; i++) {
    const s = rest[i]!;
    if (!s.numeric) return -sign;
    if (s.text !== '0') return sign;
  }
  return 0;
}

export const rubygemsOrdering: VersionOrdering<GemVersion> = {
  scheme: 'rubygems',
  parse: parseGemVersion,
  compare: compareGemVersions,
};
