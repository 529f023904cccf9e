import fc from 'fast-check';
import type { VersionScheme } from '../types.js';

/**
 * fast-check generators of versions per scheme, for property tests and oracle checks.
 * Pieces come from small alphabets on purpose: versions then share long prefixes, so the
 * comparisons reach the tricky parts (`~`, suffix ranks, trailing zeros, separators)
 * instead of stopping at the first number.
 */

function joined(pieces: fc.Arbitrary<string>, minLength: number, maxLength: number): fc.Arbitrary<string> {
  return fc.array(pieces, { minLength, maxLength }).map((parts) => parts.join(''));
}

function optional(arb: fc.Arbitrary<string>): fc.Arbitrary<string> {
  return fc.option(arb, { nil: '' });
}

const NUMBERS = ['0', '1', '2', '9', '10', '01', '00', '20240101'];

/** Versions dpkg accepts without warnings: `[epoch:]upstream[-revision]`. */
export const dpkgVersionArb: fc.Arbitrary<string> = fc
  .record({
    epoch: fc.option(fc.constantFrom('0', '1', '2', '01'), { nil: undefined }),
    first: fc.constantFrom('0', '1', '2', '9', '10'),
    upstream: joined(
      fc.constantFrom(...NUMBERS, 'a', 'b', 'z', 'A', 'Z', '.', '+', '~', '~~', 'rc', 'dfsg'),
      0,
      6,
    ),
    inner: fc.constantFrom('', '-', ':', '-1', ':1'),
    revision: fc.option(
      joined(fc.constantFrom('0', '1', '2', '10', 'a', 'b', '.', '+', '~', 'deb', 'u', 'ubuntu'), 1, 4),
      {
        nil: undefined,
      },
    ),
  })
  .map(({ epoch, first, upstream, inner, revision }) => {
    // A `-` inside the upstream version needs a revision after it, a `:` needs an epoch before.
    const allowed =
      (inner.startsWith('-') && revision !== undefined) || (inner.startsWith(':') && epoch !== undefined);
    const middle = allowed ? inner : '';
    return `${epoch === undefined ? '' : `${epoch}:`}${first}${upstream}${middle}${revision === undefined ? '' : `-${revision}`}`;
  });

const RPM_PIECES = fc.constantFrom(
  ...NUMBERS,
  'a',
  'b',
  'Z',
  'rc',
  'git',
  '.',
  '_',
  '+',
  '~',
  '^',
  'el9',
  'fc40',
);

/** rpm EVRs: `[epoch:]version[-release]` with `~` and `^` in both parts. */
export const rpmVersionArb: fc.Arbitrary<string> = fc
  .record({
    epoch: fc.option(fc.constantFrom('0', '1', '2', '01'), { nil: undefined }),
    version: joined(RPM_PIECES, 1, 6),
    release: fc.option(joined(RPM_PIECES, 1, 4), { nil: undefined }),
  })
  .map(
    ({ epoch, version, release }) =>
      `${epoch === undefined ? '' : `${epoch}:`}${version}${release === undefined ? '' : `-${release}`}`,
  );

/** Alpine versions in apk-tools' grammar: `digits{.digits}[letter]{_suffix[N]}[~hash][-rN]`. */
export const apkVersionArb: fc.Arbitrary<string> = fc
  .record({
    first: fc.constantFrom('0', '1', '2', '10', '01'),
    dotted: joined(fc.constantFrom('.0', '.1', '.2', '.10', '.01', '.00', '.001'), 0, 3),
    letter: optional(fc.constantFrom('a', 'b', 'z')),
    suffixes: joined(
      fc
        .tuple(
          fc.constantFrom('alpha', 'beta', 'pre', 'rc', 'cvs', 'svn', 'git', 'hg', 'p'),
          fc.constantFrom('', '0', '1', '2', '10'),
        )
        .map(([word, n]) => `_${word}${n}`),
      0,
      2,
    ),
    hash: optional(fc.constantFrom('~0', '~a', '~abc', '~1f', '~ab')),
    revision: optional(fc.constantFrom('-r0', '-r1', '-r2', '-r10')),
  })
  .map(
    ({ first, dotted, letter, suffixes, hash, revision }) =>
      `${first}${dotted}${letter}${suffixes}${hash}${revision}`,
  );

const SEMVER_IDENTIFIERS = ['0', '1', '2', '10', 'alpha', 'beta', 'rc', 'a-b', '-', 'x1', '1x', 'A', 'Z'];

/** Semver 2.0.0 versions exactly as the specification writes them (optionally with Go's `v`). */
export const strictSemverArb: fc.Arbitrary<string> = fc
  .record({
    v: fc.constantFrom('', 'v'),
    core: fc.tuple(
      fc.constantFrom('0', '1', '2', '10'),
      fc.constantFrom('0', '1', '2', '10'),
      fc.constantFrom('0', '1', '10'),
    ),
    pre: fc.array(fc.constantFrom(...SEMVER_IDENTIFIERS), { maxLength: 3 }),
    build: fc.array(fc.constantFrom('1', '01', 'incompatible', 'sha'), { maxLength: 2 }),
  })
  .map(({ v, core, pre, build }) => {
    const prerelease = pre.length > 0 ? `-${pre.join('.')}` : '';
    return `${v}${core.join('.')}${prerelease}${build.length > 0 ? `+${build.join('.')}` : ''}`;
  });

/** Semver as osv.dev coerces it: missing minor/patch, leading zeros, empty identifiers. */
export const semverVersionArb: fc.Arbitrary<string> = fc.oneof(
  strictSemverArb,
  fc
    .record({
      core: fc.array(fc.constantFrom('0', '1', '01', '2', '10'), { minLength: 1, maxLength: 3 }),
      pre: fc.option(
        fc.array(fc.constantFrom(...SEMVER_IDENTIFIERS, '01', ''), { minLength: 1, maxLength: 3 }),
        { nil: undefined },
      ),
    })
    .map(({ core, pre }) => `${core.join('.')}${pre === undefined ? '' : `-${pre.join('.')}`}`),
);

/** PEP 440 versions in every spelling the normalisation rules allow. */
export const pep440VersionArb: fc.Arbitrary<string> = fc
  .record({
    lead: fc.constantFrom('', 'v', 'V', ' '),
    epoch: optional(fc.constantFrom('0!', '1!', '01!')),
    release: fc
      .array(fc.constantFrom('0', '1', '2', '10', '00', '01'), { minLength: 1, maxLength: 4 })
      .map((r) => r.join('.')),
    pre: optional(
      fc
        .tuple(
          fc.constantFrom('', '.', '-', '_'),
          fc.constantFrom('a', 'alpha', 'b', 'beta', 'c', 'rc', 'pre', 'preview', 'RC', 'Alpha'),
          fc.constantFrom('', '.', '-'),
          fc.constantFrom('', '0', '1', '2', '10'),
        )
        .map((parts) => parts.join('')),
    ),
    post: optional(fc.constantFrom('.post1', 'post2', '-1', '-post', '_r3', '.rev0', 'POST10', '.post')),
    dev: optional(fc.constantFrom('.dev', '.dev0', 'dev1', '-dev2', '_DEV10')),
    local: optional(fc.constantFrom('+ubuntu', '+1', '+abc.1', '+1.abc', '+Ubuntu-1', '+0', '+01', '+a_b')),
  })
  .map(
    ({ lead, epoch, release, pre, post, dev, local }) =>
      `${lead}${epoch}${release}${pre}${post}${dev}${local}`,
  );

/** Maven versions: any mix of numbers, qualifiers and separators. */
export const mavenVersionArb: fc.Arbitrary<string> = joined(
  fc.constantFrom(
    ...['0', '1', '2', '10', '00', '1234567890', '0000000000'],
    ...[
      'a',
      'b',
      'm',
      'alpha',
      'beta',
      'milestone',
      'rc',
      'cr',
      'snapshot',
      'SNAPSHOT',
      'ga',
      'final',
      'release',
      'sp',
      'foo',
      'x',
    ],
    ...['.', '-', '.', '-'],
  ),
  1,
  7,
);

/**
 * Maven versions of the usual shape, `N(.N)*[-qualifier[N][-N]]`: the family on which
 * Maven's ComparableVersion is transitive (it is not on arbitrary strings, see maven.ts).
 */
export const conventionalMavenVersionArb: fc.Arbitrary<string> = fc
  .record({
    numbers: fc.array(fc.constantFrom('0', '1', '2', '10', '00'), { minLength: 1, maxLength: 4 }),
    qualifier: optional(
      fc
        .tuple(
          fc.constantFrom(
            'alpha',
            'beta',
            'milestone',
            'rc',
            'cr',
            'SNAPSHOT',
            'ga',
            'final',
            'RELEASE',
            'sp',
            'jre',
            'M',
            'a',
            'b',
          ),
          fc.constantFrom('', '1', '2', '10', '-1'),
        )
        .map(([word, n]) => `-${word}${n}`),
    ),
  })
  .map(({ numbers, qualifier }) => `${numbers.join('.')}${qualifier}`);

/** RubyGems versions matching `Gem::Version::VERSION_PATTERN`. */
export const gemVersionArb: fc.Arbitrary<string> = fc
  .record({
    first: fc.constantFrom('0', '1', '2', '10', '01'),
    dotted: fc.array(
      fc.constantFrom('0', '1', '2', '10', 'a', 'b', 'pre', 'rc', 'beta', 'A', 'alpha1', '0a', '00'),
      { maxLength: 4 },
    ),
    dashed: fc.option(
      fc.array(fc.constantFrom('1', 'a', 'rc1', 'pre', 'x-y', '0'), { minLength: 1, maxLength: 2 }),
      { nil: undefined },
    ),
  })
  .map(
    ({ first, dotted, dashed }) =>
      [first, ...dotted].join('.') + (dashed === undefined ? '' : `-${dashed.join('.')}`),
  );

/** NuGet versions: one to four numbers, labels in mixed case, metadata. */
export const nugetVersionArb: fc.Arbitrary<string> = fc
  .record({
    numbers: fc.array(fc.constantFrom('0', '1', '2', '10', '01'), { minLength: 1, maxLength: 4 }),
    labels: fc.array(
      fc.constantFrom('alpha', 'Alpha', 'BETA', 'beta', 'rc', '1', '2', '10', '-1', '0', 'rc-1', 'a'),
      {
        maxLength: 3,
      },
    ),
    metadata: optional(fc.constantFrom('+1', '+sha.01', '+A-b')),
  })
  .map(
    ({ numbers, labels, metadata }) =>
      `${numbers.join('.')}${labels.length > 0 ? `-${labels.join('.')}` : ''}${metadata}`,
  );

export const versionArbs: Readonly<Record<VersionScheme, fc.Arbitrary<string>>> = {
  dpkg: dpkgVersionArb,
  apk: apkVersionArb,
  rpm: rpmVersionArb,
  semver: semverVersionArb,
  pep440: pep440VersionArb,
  maven: mavenVersionArb,
  rubygems: gemVersionArb,
  nuget: nugetVersionArb,
};

/**
 * Any text, valid or not in the scheme: arbitrary strings and near misses (a valid version
 * with a character dropped, doubled or replaced), for "never throws, total order" checks.
 */
export function anyVersionTextArb(scheme: VersionScheme): fc.Arbitrary<string> {
  const nearMiss = fc
    .tuple(versionArbs[scheme], fc.nat(), fc.constantFrom('', ' ', '-', ':', '.', '~', '@', 'é', '\u0000'))
    .map(([v, at, ch]) => {
      const i = v.length === 0 ? 0 : at % v.length;
      return v.slice(0, i) + ch + v.slice(i + 1);
    });
  return fc.oneof(versionArbs[scheme], nearMiss, fc.string({ maxLength: 12 }));
}
