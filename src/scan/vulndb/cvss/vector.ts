import { AppError } from '../../../kernel/index.js';

/**
 * CVSS vector strings: `CVSS:3.1/AV:N/AC:L/…`, `CVSS:4.0/AV:N/…`, and CVSS v2's prefix-less
 * `AV:N/AC:L/Au:N/…`. Parsing checks each metric against the version's allowed values so
 * that a score is never computed from a vector with a typo in it.
 */

export type CvssVersion = '2.0' | '3.0' | '3.1' | '4.0';

export interface CvssMetrics {
  version: CvssVersion;
  /** Metric abbreviation → value, in vector order. */
  values: ReadonlyMap<string, string>;
}

export type CvssParse = { ok: true; metrics: CvssMetrics } | { ok: false; problem: string };

/** Metric → allowed values; `mandatory` are the base metrics every vector must carry. */
export interface CvssGrammar {
  mandatory: readonly string[];
  allowed: Readonly<Record<string, readonly string[]>>;
}

/** Splits and checks a vector against a grammar; the version prefix was already matched by the caller. */
export function parseMetrics(version: CvssVersion, body: string, grammar: CvssGrammar): CvssParse {
  const values = new Map<string, string>();
  for (const part of body.split('/')) {
    const colon = part.indexOf(':');
    if (colon <= 0) return { ok: false, problem: `"${part}" is not METRIC:VALUE` };
    const metric = part.slice(0, colon);
    const value = part.slice(colon + 1);
    const allowed = grammar.allowed[metric];
    if (!allowed) return { ok: false, problem: `unknown CVSS ${version} metric "${metric}"` };
    if (!allowed.includes(value))
      return {
        ok: false,
        problem: `CVSS ${version} metric ${metric} cannot be "${value}" (allowed: ${allowed.join(', ')})`,
      };
    if (values.has(metric)) return { ok: false, problem: `CVSS ${version} metric ${metric} appears twice` };
    values.set(metric, value);
  }
  const missing = grammar.mandatory.filter((m) => !values.has(m));
  if (missing.length > 0) return { ok: false, problem: `CVSS ${version} vector lacks ${missing.join(', ')}` };
  return { ok: true, metrics: { version, values } };
}

/** Reads the value of a metric the grammar made mandatory. */
export function required(metrics: CvssMetrics, metric: string): string {
  const value = metrics.values.get(metric);
  if (value === undefined) throw new AppError('INTERNAL', `CVSS metric ${metric} missing after validation`);
  return value;
}

/** Rounds to one decimal, half up, absorbing binary floating-point noise (0.15 → 0.2, not 0.1). */
export function roundToTenth(value: number): number {
  return Math.round((value + 1e-6) * 10) / 10;
}
