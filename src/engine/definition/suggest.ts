/**
 * "Did you mean …?" for names: the only candidate the name abbreviates, else the candidate at
 * the smallest edit distance when it is close enough to be a plausible typo (at most a third
 * of the name's length, and at most 3 edits).
 */
export function nearest(name: string, candidates: Iterable<string>): string | undefined {
  const list = [...candidates];
  // An abbreviation (`repo` for `repository`) is as likely as a typo.
  const extended = name.length >= 3 ? list.filter((c) => c.toLowerCase().startsWith(name.toLowerCase())) : [];
  if (extended.length === 1) return extended[0];
  const limit = Math.min(3, Math.max(1, Math.floor(name.length / 3)));
  let best: string | undefined;
  let bestDistance = limit + 1;
  for (const candidate of list) {
    const distance = editDistance(name.toLowerCase(), candidate.toLowerCase(), bestDistance);
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}

/** Optimal-string-alignment distance (Levenshtein plus adjacent transpositions), capped at `cap`. */
export function editDistance(a: string, b: string, cap = Number.POSITIVE_INFINITY): number {
  if (Math.abs(a.length - b.length) >= cap) return cap;
  let previous2: number[] = [];
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let value = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        value = Math.min(value, previous2[j - 2]! + 1);
      }
      current.push(value);
    }
    previous2 = previous;
    previous = current;
  }
  return previous[b.length]!;
}
