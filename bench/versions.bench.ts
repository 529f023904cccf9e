/**
 * Version comparison speed per scheme: parsing, comparing parsed versions (the matching hot
 * path) and comparing strings, beside node-semver for the semver scheme.
 *
 * Matching 10,000 packages against 1,000,000 advisories must take under a second; after
 * indexing by package name that is on the order of a million range-bound comparisons, so
 * the figure to watch is "ms per 1M compareParsed".
 */
import fc from 'fast-check';
import nodeSemver from 'semver';
import type { Benchmark } from './run.js';
import { printTable } from './support/measure.js';
import {
  VERSION_SCHEMES,
  type ParsedVersion,
  type VersionScheme,
  compareParsed,
  compareVersions,
  parseVersion,
} from '../src/scan/versions/index.js';
import { strictSemverArb, versionArbs } from '../src/scan/versions/testing/arbitraries.js';

const VERSIONS = 10_000;
const PARSED_COMPARISONS = 1_000_000;
const STRING_COMPARISONS = 200_000;

const benchmark: Benchmark = {
  name: 'versions: parse and compare throughput per scheme',
  async run() {
    const rows = [
      ['scheme', 'parse /s', 'compareParsed /s', 'ms per 1M compareParsed', 'compareVersions /s'],
    ];
    for (const scheme of VERSION_SCHEMES)
      rows.push(measureScheme(scheme, sample(versionArbs[scheme], scheme)));
    rows.push(measureNodeSemver(fc.sample(strictSemverArb, { numRuns: VERSIONS, seed: 1 })));
    console.log(`${VERSIONS} generated versions per scheme; random pairs; best of 3 rounds`);
    printTable(rows);
  },
};
export default benchmark;

function sample(arb: fc.Arbitrary<string>, scheme: VersionScheme): string[] {
  return fc
    .sample(arb, { numRuns: VERSIONS * 2, seed: 1 })
    .filter((v) => parseVersion(scheme, v) !== undefined)
    .slice(0, VERSIONS);
}

/** Random index pairs, drawn once so every round and scheme does the same work. */
const pairs = (() => {
  const indexes = new Uint32Array(PARSED_COMPARISONS * 2);
  let state = 0x2545f491;
  for (let i = 0; i < indexes.length; i++) {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    indexes[i] = (state >>> 0) % VERSIONS;
  }
  return indexes;
})();

function measureScheme(scheme: VersionScheme, texts: string[]): string[] {
  const parseRate = best(() => {
    for (const text of texts) parseVersion(scheme, text);
    return texts.length;
  });
  const parsed = texts.map((text) => parseVersion(scheme, text)) as ParsedVersion[];
  let sink = 0;
  const parsedRate = best(() => {
    for (let i = 0; i < PARSED_COMPARISONS; i++)
      sink += compareParsed(parsed[pairs[2 * i]!]!, parsed[pairs[2 * i + 1]!]!);
    return PARSED_COMPARISONS;
  });
  const stringRate = best(() => {
    for (let i = 0; i < STRING_COMPARISONS; i++)
      sink += compareVersions(scheme, texts[pairs[2 * i]!]!, texts[pairs[2 * i + 1]!]!);
    return STRING_COMPARISONS;
  });
  if (Number.isNaN(sink)) console.log(sink);
  return [scheme, rate(parseRate), rate(parsedRate), (1e9 / parsedRate).toFixed(0), rate(stringRate)];
}

function measureNodeSemver(texts: string[]): string[] {
  const parseRate = best(() => {
    for (const text of texts) new nodeSemver.SemVer(text);
    return texts.length;
  });
  const parsed = texts.map((text) => new nodeSemver.SemVer(text));
  let sink = 0;
  const parsedRate = best(() => {
    for (let i = 0; i < PARSED_COMPARISONS; i++)
      sink += parsed[pairs[2 * i]!]!.compare(parsed[pairs[2 * i + 1]!]!);
    return PARSED_COMPARISONS;
  });
  const stringRate = best(() => {
    for (let i = 0; i < STRING_COMPARISONS; i++)
      sink += nodeSemver.compare(texts[pairs[2 * i]!]!, texts[pairs[2 * i + 1]!]!);
    return STRING_COMPARISONS;
  });
  if (Number.isNaN(sink)) console.log(sink);
  return [
    'node-semver (baseline)',
    rate(parseRate),
    rate(parsedRate),
    (1e9 / parsedRate).toFixed(0),
    rate(stringRate),
  ];
}

/** Operations per second, the best of three rounds (the first also warms the JIT up). */
function best(round: () => number): number {
  let fastest = 0;
  for (let i = 0; i < 3; i++) {
    const started = performance.now();
    const operations = round();
    fastest = Math.max(fastest, operations / ((performance.now() - started) / 1000));
  }
  return fastest;
}

function rate(perSecond: number): string {
  return perSecond >= 1e6 ? `${(perSecond / 1e6).toFixed(1)} M` : `${(perSecond / 1e3).toFixed(0)} k`;
}
