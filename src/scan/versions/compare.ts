import { AppError } from '../../kernel/index.js';
import { apkOrdering } from './apk.js';
import { dpkgOrdering } from './dpkg.js';
import { mavenOrdering } from './maven.js';
import { nugetOrdering } from './nuget.js';
import { pep440Ordering } from './pep440.js';
import { rpmOrdering } from './rpm.js';
import { rubygemsOrdering } from './rubygems.js';
import { semverOrdering } from './semver.js';
import type { ParsedVersion, VersionOrder, VersionOrdering, VersionScheme } from './types.js';

const ORDERINGS: Readonly<Record<VersionScheme, VersionOrdering<unknown>>> = {
  dpkg: dpkgOrdering,
  apk: apkOrdering,
  rpm: rpmOrdering,
  semver: semverOrdering,
  pep440: pep440Ordering,
  maven: mavenOrdering,
  rubygems: rubygemsOrdering,
  nuget: nugetOrdering,
};

/** The parse-once form: the scheme's representation next to the ordering that reads it. */
class Parsed implements ParsedVersion {
  constructor(
    readonly scheme: VersionScheme,
    readonly text: string,
    readonly key: unknown,
    readonly ordering: VersionOrdering<unknown>,
  ) {}
}

/**
 * Parses a version once for many comparisons. Undefined when the text is not a valid
 * version of the scheme — for vulnerability matching that means "cannot decide", as in
 * OSV, never "not affected".
 */
export function parseVersion(scheme: VersionScheme, text: string): ParsedVersion | undefined {
  const ordering = orderingOf(scheme);
  const key = ordering.parse(text);
  return key === undefined ? undefined : new Parsed(scheme, text, key, ordering);
}

/** Compares two versions parsed with the same scheme. */
export function compareParsed(a: ParsedVersion, b: ParsedVersion): VersionOrder {
  const x = a as Parsed;
  const y = b as Parsed;
  if (x.ordering !== y.ordering || x.ordering === undefined) {
    throw new AppError(
      'INTERNAL',
      `cannot compare version ${JSON.stringify(a.text)} (${a.scheme}) with ${JSON.stringify(b.text)} (${b.scheme}): ` +
        'both must come from parseVersion with the same scheme',
    );
  }
  return sign(x.ordering.compare(x.key, y.key));
}

/**
 * Compares two version strings in a scheme; never throws for any text. Invalid versions
 * sort before every valid one and among themselves by code unit, which keeps the order
 * total (antisymmetric and transitive) so it can sort any list — except where the
 * ecosystem's own order is not transitive (Maven's, on unusual versions; see maven.ts).
 * To tell "older" from "cannot decide", use `parseVersion` or `isValidVersion`.
 */
export function compareVersions(scheme: VersionScheme, a: string, b: string): VersionOrder {
  const ordering = orderingOf(scheme);
  const x = ordering.parse(a);
  const y = ordering.parse(b);
  if (x !== undefined && y !== undefined) return sign(ordering.compare(x, y));
  if (x !== undefined || y !== undefined) return x !== undefined ? 1 : -1;
  return a < b ? -1 : a > b ? 1 : 0;
}

export function isValidVersion(scheme: VersionScheme, text: string): boolean {
  return orderingOf(scheme).parse(text) !== undefined;
}

export function isVersionScheme(value: string): value is VersionScheme {
  return Object.hasOwn(ORDERINGS, value);
}

function orderingOf(scheme: VersionScheme): VersionOrdering<unknown> {
  if (!isVersionScheme(scheme)) {
    throw new AppError('INTERNAL', `unknown version scheme ${JSON.stringify(scheme)}`);
  }
  return ORDERINGS[scheme];
}

function sign(n: number): VersionOrder {
  return n < 0 ? -1 : n > 0 ? 1 : 0;
}
