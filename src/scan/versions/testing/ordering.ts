import { compareVersions } from '../compare.js';
import type { VersionScheme } from '../types.js';

/**
 * Checks of a comparator against expected orders, returning the pairs that break them
 * (so a failing test names every offending pair rather than the first).
 */

/** Pairs of a list meant to be strictly ascending that do not compare as such, both ways. */
export function ascendingViolations(scheme: VersionScheme, ascending: readonly string[]): string[] {
  const problems: string[] = [];
  for (let i = 0; i < ascending.length; i++) {
    for (let j = i + 1; j < ascending.length; j++) {
      const a = ascending[i]!;
      const b = ascending[j]!;
      const forward = compareVersions(scheme, a, b);
      const backward = compareVersions(scheme, b, a);
      if (forward !== -1 || backward !== 1) problems.push(`${a} vs ${b}: ${forward}, reversed ${backward}`);
    }
  }
  return problems;
}

/** Pairs of a group meant to be equal that do not compare as 0. */
export function equalityViolations(scheme: VersionScheme, group: readonly string[]): string[] {
  const problems: string[] = [];
  for (const a of group) {
    for (const b of group) {
      const order = compareVersions(scheme, a, b);
      if (order !== 0) problems.push(`${a} vs ${b}: ${order}`);
    }
  }
  return problems;
}
