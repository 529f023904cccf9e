import { MACROVECTOR_SCORES, MAX_COMPOSED, MAX_SEVERITY_DEPTH, METRIC_LEVELS } from './cvss4-tables.js';
import { type CvssMetrics, type CvssParse, parseMetrics, roundToTenth } from './vector.js';

/**
 * CVSS v4.0 scores by the specification's MacroVector method (FIRST CVSS v4.0 Specification
 * Document, section 8.2): the vector is placed in one of 270 MacroVectors by six equivalence
 * classes (EQ1–EQ6), the MacroVector's score is looked up, and the vector's distance from the
 * MacroVector's most severe vectors is interpolated towards the next lower MacroVectors.
 * Threat and environmental metrics are honoured when present (CVSS-BT, CVSS-BE, CVSS-BTE);
 * a base-only vector yields the CVSS-B score.
 */

const IMPACT = ['H', 'L', 'N'] as const;
const REQUIREMENT = ['X', 'H', 'M', 'L'] as const;
const GRAMMAR = {
  mandatory: ['AV', 'AC', 'AT', 'PR', 'UI', 'VC', 'VI', 'VA', 'SC', 'SI', 'SA'],
  allowed: {
    AV: ['N', 'A', 'L', 'P'],
    AC: ['L', 'H'],
    AT: ['N', 'P'],
    PR: ['N', 'L', 'H'],
    UI: ['N', 'P', 'A'],
    VC: IMPACT,
    VI: IMPACT,
    VA: IMPACT,
    SC: IMPACT,
    SI: IMPACT,
    SA: IMPACT,
    E: ['X', 'A', 'P', 'U'],
    CR: REQUIREMENT,
    IR: REQUIREMENT,
    AR: REQUIREMENT,
    MAV: ['X', 'N', 'A', 'L', 'P'],
    MAC: ['X', 'L', 'H'],
    MAT: ['X', 'N', 'P'],
    MPR: ['X', 'N', 'L', 'H'],
    MUI: ['X', 'N', 'P', 'A'],
    MVC: ['X', ...IMPACT],
    MVI: ['X', ...IMPACT],
    MVA: ['X', ...IMPACT],
    MSC: ['X', ...IMPACT],
    MSI: ['X', 'S', ...IMPACT],
    MSA: ['X', 'S', ...IMPACT],
    // Supplemental metrics: valid, never part of the score.
    S: ['X', 'N', 'P'],
    AU: ['X', 'N', 'Y'],
    R: ['X', 'A', 'U', 'I'],
    V: ['X', 'D', 'C'],
    RE: ['X', 'L', 'M', 'H'],
    U: ['X', 'Clear', 'Green', 'Amber', 'Red'],
  },
};

/** Metrics whose severity distance counts towards each equivalence class. */
const DISTANCE_METRICS = {
  eq1: ['AV', 'PR', 'UI'],
  eq2: ['AC', 'AT'],
  eq3eq6: ['VC', 'VI', 'VA', 'CR', 'IR', 'AR'],
  eq4: ['SC', 'SI', 'SA'],
} as const;

const STEP = 0.1;

type Effective = (metric: string) => string;

/** Parses `CVSS:4.0/…`. */
export function parseCvss4(vector: string): CvssParse {
  const match = /^CVSS:4\.0\/(.+)$/.exec(vector.trim());
  if (!match) return { ok: false, problem: 'a CVSS v4 vector starts with "CVSS:4.0/"' };
  return parseMetrics('4.0', match[1]!, GRAMMAR);
}

/** The CVSS v4.0 score, 0.0–10.0. */
export function cvss4Score(metrics: CvssMetrics): number {
  const value = effectiveValues(metrics);
  if (['VC', 'VI', 'VA', 'SC', 'SI', 'SA'].every((m) => value(m) === 'N')) return 0;
  const eq = equivalenceClasses(value);
  const macroScore = scoreOf(eq);
  const distances = severityDistances(value, eq);
  const lower = nextLowerScores(eq);
  const depth = {
    eq1: MAX_SEVERITY_DEPTH.eq1[eq[0]]!,
    eq2: MAX_SEVERITY_DEPTH.eq2[eq[1]]!,
    eq3eq6: MAX_SEVERITY_DEPTH.eq3eq6[eq[2]]![eq[5]]!,
    eq4: MAX_SEVERITY_DEPTH.eq4[eq[3]]!,
    eq5: MAX_SEVERITY_DEPTH.eq5[eq[4]]!,
  };
  let total = 0;
  let counted = 0;
  for (const key of ['eq1', 'eq2', 'eq3eq6', 'eq4', 'eq5'] as const) {
    const available = macroScore - lower[key];
    if (Number.isNaN(available)) continue;
    counted++;
    total += available * (distances[key] / (depth[key] * STEP));
  }
  const score = macroScore - (counted === 0 ? 0 : total / counted);
  return roundToTenth(Math.min(10, Math.max(0, score)));
}

/** The value each metric takes for scoring: the modified (environmental) value when set, defaults for X. */
function effectiveValues(metrics: CvssMetrics): Effective {
  return (metric) => {
    const modified = metrics.values.get(`M${metric}`);
    if (modified !== undefined && modified !== 'X') return modified;
    const value = metrics.values.get(metric);
    if (value !== undefined && value !== 'X') return value;
    // Threat and requirement metrics not defined assume the worst case (spec section 8.2).
    if (metric === 'E') return 'A';
    if (metric === 'CR' || metric === 'IR' || metric === 'AR') return 'H';
    return value ?? 'X';
  };
}

/** EQ1–EQ6 levels (specification Table 24). */
function equivalenceClasses(v: Effective): [number, number, number, number, number, number] {
  const av = v('AV');
  const pr = v('PR');
  const ui = v('UI');
  const eq1 =
    av === 'N' && pr === 'N' && ui === 'N'
      ? 0
      : (av === 'N' || pr === 'N' || ui === 'N') && av !== 'P'
        ? 1
        : 2;
  const eq2 = v('AC') === 'L' && v('AT') === 'N' ? 0 : 1;
  const [vc, vi, va] = [v('VC'), v('VI'), v('VA')];
  const eq3 = vc === 'H' && vi === 'H' ? 0 : vc === 'H' || vi === 'H' || va === 'H' ? 1 : 2;
  const eq4 =
    v('SI') === 'S' || v('SA') === 'S' ? 0 : v('SC') === 'H' || v('SI') === 'H' || v('SA') === 'H' ? 1 : 2;
  const eq5 = ({ A: 0, P: 1, U: 2 } as Record<string, number>)[v('E')] ?? 0;
  const eq6 =
    (v('CR') === 'H' && vc === 'H') || (v('IR') === 'H' && vi === 'H') || (v('AR') === 'H' && va === 'H')
      ? 0
      : 1;
  return [eq1, eq2, eq3, eq4, eq5, eq6];
}

function scoreOf(eq: readonly number[]): number {
  return MACROVECTOR_SCORES[eq.join('')] ?? Number.NaN;
}

/** Scores of the MacroVectors one step less severe in each class (NaN where none exists). */
function nextLowerScores(eq: readonly [number, number, number, number, number, number]) {
  const [eq1, eq2, eq3, eq4, eq5, eq6] = eq;
  const with3and6 = (a: number, b: number) => scoreOf([eq1, eq2, a, eq4, eq5, b]);
  let eq3eq6: number;
  if (eq3 === 0 && eq6 === 0) {
    // Two MacroVectors are one step lower; the more severe of them bounds the interpolation.
    eq3eq6 = Math.max(with3and6(eq3, eq6 + 1), with3and6(eq3 + 1, eq6));
  } else if (eq3 === 1 && eq6 === 0) {
    eq3eq6 = with3and6(eq3, eq6 + 1);
  } else if (eq6 === 1 && eq3 < 2) {
    eq3eq6 = with3and6(eq3 + 1, eq6);
  } else {
    eq3eq6 = Number.NaN;
  }
  return {
    eq1: scoreOf([eq1 + 1, eq2, eq3, eq4, eq5, eq6]),
    eq2: scoreOf([eq1, eq2 + 1, eq3, eq4, eq5, eq6]),
    eq3eq6,
    eq4: scoreOf([eq1, eq2, eq3, eq4 + 1, eq5, eq6]),
    eq5: scoreOf([eq1, eq2, eq3, eq4, eq5 + 1, eq6]),
  };
}

/**
 * Severity distance of the vector from the first of its MacroVector's highest-severity
 * vectors that it does not exceed in any metric, summed per class. EQ5 has none: its
 * classes are single values.
 */
function severityDistances(v: Effective, eq: readonly number[]) {
  const [eq1, eq2, eq3, eq4, eq5, eq6] = eq as [number, number, number, number, number, number];
  const candidates = combine([
    MAX_COMPOSED.eq1[eq1]!,
    MAX_COMPOSED.eq2[eq2]!,
    MAX_COMPOSED.eq3eq6[eq3]![eq6]!,
    MAX_COMPOSED.eq4[eq4]!,
    MAX_COMPOSED.eq5[eq5]!,
  ]);
  for (const max of candidates) {
    const distance = (metric: string) => level(metric, v(metric)) - level(metric, max.get(metric)!);
    const all = Object.values(DISTANCE_METRICS).flat();
    if (all.some((metric) => distance(metric) < 0)) continue;
    const sum = (metrics: readonly string[]) =>
      metrics.reduce((total, metric) => total + distance(metric), 0);
    return {
      eq1: sum(DISTANCE_METRICS.eq1),
      eq2: sum(DISTANCE_METRICS.eq2),
      eq3eq6: sum(DISTANCE_METRICS.eq3eq6),
      eq4: sum(DISTANCE_METRICS.eq4),
      eq5: 0,
    };
  }
  // Unreachable for valid vectors: every vector is dominated by one of its MacroVector's maxima.
  return { eq1: 0, eq2: 0, eq3eq6: 0, eq4: 0, eq5: 0 };
}

/** Every combination of one partial vector per class, as metric → value maps, in table order. */
function combine(groups: readonly (readonly string[])[]): Map<string, string>[] {
  let out: Map<string, string>[] = [new Map()];
  for (const group of groups) {
    const next: Map<string, string>[] = [];
    for (const partial of out) {
      for (const text of group) {
        const merged = new Map(partial);
        for (const pair of text.split('/')) {
          const [metric, value] = pair.split(':') as [string, string];
          merged.set(metric, value);
        }
        next.push(merged);
      }
    }
    out = next;
  }
  return out;
}

function level(metric: string, value: string): number {
  return METRIC_LEVELS[metric]?.[value] ?? 0;
}
