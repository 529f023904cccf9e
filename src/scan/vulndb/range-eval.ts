import {
  type ParsedVersion,
  type VersionScheme,
  compareParsed,
  parseVersion,
  schemeForRange,
} from '../versions/index.js';
import type { OsvEvent, OsvRange } from './osv.js';

/**
 * OSV affected-range evaluation (OSV schema, "Evaluation"): a version is affected when it is
 * listed in `versions`, or when, walking a range's events in version order, the last
 * `introduced` at or below it is not followed by a `fixed` at or below it or a
 * `last_affected` below it — and it lies below one of the range's `limit`s, if any.
 * `introduced: "0"` sorts before every version, `limit: "*"` after every version. GIT
 * ranges were dropped at import; ranges in an ecosystem without a known ordering, or whose
 * versions do not parse, are undecidable (reported, never treated as "not affected"
 * silently).
 */

type EventKind = 'introduced' | 'fixed' | 'last_affected';

interface CompiledEvent {
  kind: EventKind;
  /** undefined for `introduced: "0"`. */
  version: ParsedVersion | undefined;
  text: string;
}

export interface CompiledRange {
  scheme: VersionScheme;
  events: CompiledEvent[];
  /** Parsed `limit`s; empty when the range has none (an implicit `*`); `unbounded` when one is `*`. */
  limits: ParsedVersion[];
  unbounded: boolean;
}

export type CompiledRanges = { ok: true; ranges: CompiledRange[] } | { ok: false; problem: string };

export type RangeVerdict =
  { affected: true; fixed?: string } | { affected: false } | { affected: 'undecidable'; problem: string };

/** Parses versions through a cache: many advisories share version strings, and parsing is the costly part. */
export class VersionCache {
  private readonly schemes = new Map<VersionScheme, Map<string, ParsedVersion | null>>();

  parse(scheme: VersionScheme, text: string): ParsedVersion | undefined {
    let cache = this.schemes.get(scheme);
    if (!cache) {
      cache = new Map();
      this.schemes.set(scheme, cache);
    }
    let parsed = cache.get(text);
    if (parsed === undefined) {
      parsed = parseVersion(scheme, text) ?? null;
      cache.set(text, parsed);
    }
    return parsed ?? undefined;
  }
}

/** Parses and sorts a range list once, for evaluation against many installed versions. */
export function compileRanges(
  ranges: readonly OsvRange[],
  ecosystem: string,
  cache: VersionCache,
): CompiledRanges {
  const out: CompiledRange[] = [];
  for (const range of ranges) {
    if (range.type === 'GIT') continue;
    const scheme = schemeForRange(range.type, ecosystem);
    if (!scheme)
      return {
        ok: false,
        problem: `no version ordering is known for ${range.type} ranges of ecosystem "${ecosystem}"`,
      };
    const compiled = compileRange(range.events, scheme, cache);
    if (!compiled.ok) return compiled;
    out.push(compiled.range);
  }
  return { ok: true, ranges: out };
}

function compileRange(
  events: readonly OsvEvent[],
  scheme: VersionScheme,
  cache: VersionCache,
): { ok: true; range: CompiledRange } | { ok: false; problem: string } {
  const compiled: CompiledEvent[] = [];
  const limits: ParsedVersion[] = [];
  let unbounded = false;
  for (const event of events) {
    if (event.limit !== undefined) {
      if (event.limit.includes('*')) unbounded = true;
      else {
        const parsed = cache.parse(scheme, event.limit);
        if (!parsed) return { ok: false, problem: `limit "${event.limit}" is not a ${scheme} version` };
        limits.push(parsed);
      }
      continue;
    }
    const kind: EventKind =
      event.introduced !== undefined ? 'introduced' : event.fixed !== undefined ? 'fixed' : 'last_affected';
    const text = (event.introduced ?? event.fixed ?? event.last_affected)!;
    if (kind === 'introduced' && text === '0') {
      compiled.push({ kind, version: undefined, text });
      continue;
    }
    const parsed = cache.parse(scheme, text);
    if (!parsed) return { ok: false, problem: `${kind} "${text}" is not a ${scheme} version` };
    compiled.push({ kind, version: parsed, text });
  }
  // Records usually list events in order already; the stable sort keeps events at one version in record order.
  if (!isSorted(compiled)) compiled.sort(compareEvents);
  return { ok: true, range: { scheme, events: compiled, limits, unbounded } };
}

function compareEvents(a: CompiledEvent, b: CompiledEvent): number {
  if (a.version === undefined) return b.version === undefined ? 0 : -1;
  return b.version === undefined ? 1 : compareParsed(a.version, b.version);
}

function isSorted(events: readonly CompiledEvent[]): boolean {
  for (let i = 1; i < events.length; i++) if (compareEvents(events[i - 1]!, events[i]!) > 0) return false;
  return true;
}

/**
 * Whether `version` (parsed in the range's scheme by `parse`) is affected, and if so the
 * version that fixes it: the first `fixed` event above it.
 */
export function evaluateRange(range: CompiledRange, version: ParsedVersion): RangeVerdict {
  if (
    !range.unbounded &&
    range.limits.length > 0 &&
    !range.limits.some((limit) => compareParsed(version, limit) < 0)
  ) {
    return { affected: false };
  }
  let vulnerable = false;
  for (const event of range.events) {
    const order = event.version === undefined ? 1 : compareParsed(version, event.version);
    if (event.kind === 'introduced' && order >= 0) vulnerable = true;
    else if (event.kind === 'fixed' && order >= 0) vulnerable = false;
    else if (event.kind === 'last_affected' && order > 0) vulnerable = false;
  }
  if (!vulnerable) return { affected: false };
  const next = range.events.find(
    (event) => event.version !== undefined && compareParsed(version, event.version) < 0,
  );
  return next?.kind === 'fixed' ? { affected: true, fixed: next.text } : { affected: true };
}
