import { compareStrings, isAlnum, isDigit, isDigits } from './digits.js';
import type { VersionOrdering } from './types.js';

/**
 * NuGet version ordering as NuGet.Versioning implements it (`NuGetVersion.TryParse`,
 * `VersionComparer.Default`): SemVer 2.0.0 extended with an optional fourth number
 * (`1.2.3.4`), leading zeros in numbers (`1.01` == `1.1`) and missing minor or patch
 * (`1.2` == `1.2.0`). Numbers first; then a pre-release is older than its release, and
 * release labels compare one by one, labels that parse as a 32-bit integer numerically and
 * before other labels, the others ordinally ignoring case (`1.0.0-BETA` == `1.0.0-beta`);
 * build metadata is ignored.
 *
 * Valid: up to four numbers of at most 2^31−1, non-empty labels of `[0-9A-Za-z-]` without
 * leading zeros in all-digit labels, non-empty metadata parts of the same characters.
 * Surrounding whitespace is trimmed as NuGet does; whitespace inside is rejected.
 */
export interface NuGetVersion {
  /** Major, minor, patch, revision. */
  readonly numbers: readonly [number, number, number, number];
  /** Release labels, or undefined for a release. */
  readonly labels: readonly NuGetLabel[] | undefined;
}

interface NuGetLabel {
  /** The label's value when `int.TryParse` accepts it. */
  readonly number: number | undefined;
  /** Upper-cased, for the ordinal case-insensitive comparison. */
  readonly folded: string;
}

const INT_MAX = 2147483647;
const INT_MIN = -2147483648;

export function parseNuGetVersion(text: string): NuGetVersion | undefined {
  const value = text.trim();
  if (value.length === 0) return undefined;
  const { version, labels, metadata } = splitSections(value);
  const numbers = parseNumbers(version);
  if (numbers === undefined) return undefined;
  if (labels !== undefined && !labels.every((label) => isValidPart(label, false))) return undefined;
  if (metadata !== undefined && !metadata.split('.').every((part) => isValidPart(part, true)))
    return undefined;
  return { numbers, labels: labels?.map(toLabel) };
}

export function compareNuGetVersions(a: NuGetVersion, b: NuGetVersion): number {
  for (let i = 0; i < 4; i++) {
    if (a.numbers[i] !== b.numbers[i]) return a.numbers[i]! < b.numbers[i]! ? -1 : 1;
  }
  const x = a.labels;
  const y = b.labels;
  if (x === undefined || y === undefined) return x === y ? 0 : x === undefined ? 1 : -1;
  const length = Math.min(x.length, y.length);
  for (let i = 0; i < length; i++) {
    const byLabel = compareLabels(x[i]!, y[i]!);
    if (byLabel !== 0) return byLabel;
  }
  return x.length === y.length ? 0 : x.length < y.length ? -1 : 1;
}

export const nugetOrdering: VersionOrdering<NuGetVersion> = {
  scheme: 'nuget',
  parse: parseNuGetVersion,
  compare: compareNuGetVersions,
};

/** `SemanticVersion.ParseSections`: the version before the first `-` or `+`, labels, metadata. */
function splitSections(value: string): { version: string; labels?: string[]; metadata?: string } {
  const dash = value.search(/[-+]/);
  if (dash < 0) return { version: value };
  const version = value.slice(0, dash);
  if (value[dash] === '+') return { version, metadata: value.slice(dash + 1) };
  const plus = value.indexOf('+', dash + 1);
  if (plus < 0) return { version, labels: value.slice(dash + 1).split('.') };
  return { version, labels: value.slice(dash + 1, plus).split('.'), metadata: value.slice(plus + 1) };
}

function parseNumbers(version: string): [number, number, number, number] | undefined {
  const parts = version.split('.');
  if (parts.length > 4 || !parts.every(isDigits)) return undefined;
  const numbers: [number, number, number, number] = [0, 0, 0, 0];
  for (let i = 0; i < parts.length; i++) {
    const n = Number(parts[i]);
    if (n > INT_MAX) return undefined;
    numbers[i] = n;
  }
  return numbers;
}

/** `SemanticVersion.IsValidPart`. */
function isValidPart(part: string, allowLeadingZeros: boolean): boolean {
  if (part.length === 0) return false;
  if (!allowLeadingZeros && part.length > 1 && part[0] === '0' && isDigits(part)) return false;
  for (let i = 0; i < part.length; i++) {
    const c = part.charCodeAt(i);
    if (!isAlnum(c) && c !== 45) return false;
  }
  return true;
}

function toLabel(label: string): NuGetLabel {
  // int.TryParse with NumberStyles.Integer: an optional sign (only `-` can occur here) and digits.
  const digits = label.startsWith('-') ? label.slice(1) : label;
  let number: number | undefined;
  if (digits.length > 0 && [...digits].every((ch) => isDigit(ch.charCodeAt(0)))) {
    const n = Number(label);
    if (n >= INT_MIN && n <= INT_MAX) number = n;
  }
  return { number, folded: label.toUpperCase() };
}

function compareLabels(x: NuGetLabel, y: NuGetLabel): number {
  if (x.number !== undefined && y.number !== undefined)
    return x.number === y.number ? 0 : x.number < y.number ? -1 : 1;
  if (x.number !== undefined || y.number !== undefined) return x.number !== undefined ? -1 : 1;
  return compareStrings(x.folded, y.folded);
}
