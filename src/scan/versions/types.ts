/**
 * Version orderings: each scheme compares versions the way its ecosystem's own tool does,
 * because a vulnerability range (`introduced` ≤ v < `fixed`) only means what the ecosystem
 * says it means — `1.0~rc1` is older than `1.0` for dpkg and rpm, `1.0a1` equals `1.0.a1`
 * for rpm but is invalid for apk, `1.0.0` equals `1` for Maven and PEP 440.
 */
export type VersionScheme = 'dpkg' | 'apk' | 'rpm' | 'semver' | 'pep440' | 'maven' | 'rubygems' | 'nuget';

export const VERSION_SCHEMES: readonly VersionScheme[] = [
  'dpkg',
  'apk',
  'rpm',
  'semver',
  'pep440',
  'maven',
  'rubygems',
  'nuget',
];

/** -1: the first version is older, 0: equal in the scheme's ordering, 1: newer. */
export type VersionOrder = -1 | 0 | 1;

/**
 * A version parsed once for repeated comparison (the matching hot path). Only values
 * returned by `parseVersion` are valid arguments to `compareParsed`; the parsed form is
 * otherwise opaque.
 */
export interface ParsedVersion {
  readonly scheme: VersionScheme;
  /** The version text exactly as given to `parseVersion`. */
  readonly text: string;
}

/**
 * One scheme's parser and comparator. `K` is its parse-once representation; `compare`
 * must not allocate, so that matching many packages against many ranges stays cheap.
 */
export interface VersionOrdering<K> {
  readonly scheme: VersionScheme;
  /** The parse-once form, or undefined when the text is not a version of this scheme. */
  parse(text: string): K | undefined;
  /** Negative, zero or positive, like `Array.prototype.sort` comparators. */
  compare(a: K, b: K): number;
}
