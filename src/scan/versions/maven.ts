import { canonicalDigits, compareCanonical, compareStrings, isDigit, isPrintableAscii } from './digits.js';
import type { VersionOrdering } from './types.js';

/**
 * Maven version ordering: `org.apache.maven.artifact.versioning.ComparableVersion` of
 * Maven 3.9 (the "Version Order Specification" of the POM reference), ported item for item.
 *
 * The version is lower-cased and split into numbers and qualifiers at `.`, at `-`, and at
 * every change between digits and letters; `-` and a change from letters to digits open a
 * nested list, so `1-1` < `1.1` and `1.0.0.X1` sorts like `1.0.0-X1`. Trailing "null" items
 * (`0`, `ga`, `final`, `release`, empty) are dropped from every list, so `1.0.0` == `1` ==
 * `1-ga`. Qualifiers: `alpha` (`a1`) < `beta` (`b1`) < `milestone` (`m1`) < `rc` = `cr` <
 * `snapshot` < release < `sp` < other qualifiers (alphabetically); a number is newer than
 * any qualifier or nested list (`1-sp` < `1-1` < `1.1`).
 *
 * Maven accepts any string; valid here means non-empty printable ASCII without spaces.
 * Maven 4's "combination items" (`1-alpha1` parsed as one item) are not Maven 3.9's and not
 * modelled.
 *
 * Like ComparableVersion itself, the order is not transitive on some unusual versions —
 * `1-ga-M10` < `1` < `1-android` but `1-ga-M10` > `1-android`; `1.0-1` < `1.0.milestone-1`
 * < `1` but `1.0-1` > `1` — because a null qualifier or a qualifier after a dot is read
 * differently depending on what it is compared with. Airlock answers what Maven answers;
 * versions of the usual shape `N(.N)*[-qualifier[N][-N]]` are ordered transitively.
 */
export interface MavenVersion {
  readonly items: ListItem;
}

type Item = NumberItem | QualifierItem | ListItem;

interface NumberItem {
  readonly kind: 0;
  /**
   * Java's item class: 0 int (≤ 9 digits), 1 long (≤ 18), 2 BigInteger. Classes compare
   * before values, as in ComparableVersion (an all-zero run keeps its length, so
   * `0000000000` is a long).
   */
  readonly size: number;
  readonly digits: string;
}

interface QualifierItem {
  readonly kind: 1;
  /** `comparableQualifier`: the index of a known qualifier, or `7-<qualifier>`. */
  readonly comparable: string;
}

interface ListItem {
  readonly kind: 2;
  readonly items: Item[];
}

const QUALIFIERS = ['alpha', 'beta', 'milestone', 'rc', 'snapshot', '', 'sp'];
const ALIASES: Readonly<Record<string, string>> = { ga: '', final: '', release: '', cr: 'rc' };
const RELEASE = String(QUALIFIERS.indexOf(''));
const SHORT_QUALIFIERS: Readonly<Record<string, string>> = { a: 'alpha', b: 'beta', m: 'milestone' };

export function parseMavenVersion(text: string): MavenVersion | undefined {
  if (text.length === 0 || !isPrintableAscii(text)) return undefined;
  return { items: parseItems(text.toLowerCase()) };
}

export function compareMavenVersions(a: MavenVersion, b: MavenVersion): number {
  return compareItem(a.items, b.items);
}

export const mavenOrdering: VersionOrdering<MavenVersion> = {
  scheme: 'maven',
  parse: parseMavenVersion,
  compare: compareMavenVersions,
};

/** `ComparableVersion.parseVersion`, on lower-cased text. */
function parseItems(version: string): ListItem {
  const root: ListItem = { kind: 2, items: [] };
  const stack: ListItem[] = [root];
  let list = root;
  const open = (): void => {
    const child: ListItem = { kind: 2, items: [] };
    list.items.push(child);
    list = child;
    stack.push(child);
  };
  let digit = false;
  let start = 0;
  for (let i = 0; i < version.length; i++) {
    const c = version.charCodeAt(i);
    if (c === 46 /* . */ || c === 45 /* - */) {
      list.items.push(i === start ? zero() : parseItem(digit, version.slice(start, i)));
      start = i + 1;
      if (c === 45) open();
    } else if (isDigit(c)) {
      if (!digit && i > start) {
        // A qualifier followed by digits: `.X1` is read as `-X-1` (MNG-7644).
        if (list.items.length > 0) open();
        list.items.push(qualifier(version.slice(start, i), true));
        start = i;
        open();
      }
      digit = true;
    } else {
      if (digit && i > start) {
        list.items.push(parseItem(true, version.slice(start, i)));
        start = i;
        open();
      }
      digit = false;
    }
  }
  if (version.length > start) {
    if (!digit && list.items.length > 0) open();
    list.items.push(parseItem(digit, version.slice(start)));
  }
  for (let i = stack.length - 1; i >= 0; i--) normalize(stack[i]!);
  return root;
}

function zero(): NumberItem {
  return { kind: 0, size: 0, digits: '0' };
}

function parseItem(digit: boolean, text: string): Item {
  if (!digit) return qualifier(text, false);
  // ComparableVersion.stripLeadingZeroes leaves an all-zero run as it is.
  const stripped = /^0+$/.test(text) ? text : text.replace(/^0+/, '');
  const size = stripped.length <= 9 ? 0 : stripped.length <= 18 ? 1 : 2;
  return { kind: 0, size, digits: canonicalDigits(stripped) };
}

function qualifier(text: string, followedByDigit: boolean): QualifierItem {
  let value = followedByDigit && text.length === 1 ? (SHORT_QUALIFIERS[text] ?? text) : text;
  value = Object.hasOwn(ALIASES, value) ? ALIASES[value]! : value;
  const index = QUALIFIERS.indexOf(value);
  return { kind: 1, comparable: index < 0 ? `${QUALIFIERS.length}-${value}` : String(index) };
}

function isNull(item: Item): boolean {
  switch (item.kind) {
    case 0:
      return item.digits === '0';
    case 1:
      return item.comparable === RELEASE;
    default:
      return item.items.length === 0;
  }
}

/** `ListItem.normalize`: drops trailing null items, looking past non-null nested lists. */
function normalize(list: ListItem): void {
  for (let i = list.items.length - 1; i >= 0; i--) {
    const item = list.items[i]!;
    if (isNull(item)) list.items.splice(i, 1);
    else if (item.kind !== 2) break;
  }
}

/** `Item.compareTo`; `other` undefined stands for a missing item (Java's null). */
function compareItem(item: Item, other: Item | undefined): number {
  switch (item.kind) {
    case 0:
      if (other === undefined) return item.digits === '0' ? 0 : 1;
      if (other.kind !== 0) return 1;
      return item.size !== other.size
        ? item.size < other.size
          ? -1
          : 1
        : compareCanonical(item.digits, other.digits);
    case 1:
      if (other === undefined) return compareStrings(item.comparable, RELEASE);
      return other.kind === 1 ? compareStrings(item.comparable, other.comparable) : -1;
    default:
      return compareList(item, other);
  }
}

function compareList(list: ListItem, other: Item | undefined): number {
  if (other === undefined) {
    for (const item of list.items) {
      const result = compareItem(item, undefined);
      if (result !== 0) return result;
    }
    return 0;
  }
  if (other.kind !== 2) return other.kind === 0 ? -1 : 1;
  const length = Math.max(list.items.length, other.items.length);
  for (let i = 0; i < length; i++) {
    const left = list.items[i];
    const right = other.items[i];
    const result =
      left === undefined
        ? right === undefined
          ? 0
          : -compareItem(right, undefined)
        : compareItem(left, right);
    if (result !== 0) return result;
  }
  return 0;
}
