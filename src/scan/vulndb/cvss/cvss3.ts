import { type CvssParse, type CvssMetrics, parseMetrics, required } from './vector.js';

/**
 * CVSS v3.0 and v3.1 base scores (FIRST CVSS v3.1 Specification, section 7.1 "Base Metrics
 * Equations" and 7.4 "Metric Values"; v3.0 uses the same equations and weights).
 */

const IMPACT = ['H', 'L', 'N'] as const;
const ENVIRONMENTAL = ['X', 'H', 'M', 'L'] as const;
const GRAMMAR = {
  mandatory: ['AV', 'AC', 'PR', 'UI', 'S', 'C', 'I', 'A'],
  allowed: {
    AV: ['N', 'A', 'L', 'P'],
    AC: ['L', 'H'],
    PR: ['N', 'L', 'H'],
    UI: ['N', 'R'],
    S: ['U', 'C'],
    C: IMPACT,
    I: IMPACT,
    A: IMPACT,
    // Temporal and environmental metrics are accepted (they are valid in a vector) but do not
    // change the base score reported here.
    E: ['X', 'H', 'F', 'P', 'U'],
    RL: ['X', 'U', 'W', 'T', 'O'],
    RC: ['X', 'C', 'R', 'U'],
    CR: ENVIRONMENTAL,
    IR: ENVIRONMENTAL,
    AR: ENVIRONMENTAL,
    MAV: ['X', 'N', 'A', 'L', 'P'],
    MAC: ['X', 'L', 'H'],
    MPR: ['X', 'N', 'L', 'H'],
    MUI: ['X', 'N', 'R'],
    MS: ['X', 'U', 'C'],
    MC: ['X', ...IMPACT],
    MI: ['X', ...IMPACT],
    MA: ['X', ...IMPACT],
  },
};

const ATTACK_VECTOR: Record<string, number> = { N: 0.85, A: 0.62, L: 0.55, P: 0.2 };
const ATTACK_COMPLEXITY: Record<string, number> = { L: 0.77, H: 0.44 };
const PRIVILEGES_UNCHANGED: Record<string, number> = { N: 0.85, L: 0.62, H: 0.27 };
const PRIVILEGES_CHANGED: Record<string, number> = { N: 0.85, L: 0.68, H: 0.5 };
const USER_INTERACTION: Record<string, number> = { N: 0.85, R: 0.62 };
const CIA: Record<string, number> = { H: 0.56, L: 0.22, N: 0 };

/** Parses `CVSS:3.0/…` or `CVSS:3.1/…`. */
export function parseCvss3(vector: string): CvssParse {
  const match = /^CVSS:3\.([01])\/(.+)$/.exec(vector.trim());
  if (!match) return { ok: false, problem: 'a CVSS v3 vector starts with "CVSS:3.0/" or "CVSS:3.1/"' };
  return parseMetrics(match[1] === '0' ? '3.0' : '3.1', match[2]!, GRAMMAR);
}

/** The base score, 0.0–10.0. */
export function cvss3BaseScore(metrics: CvssMetrics): number {
  const m = (name: string) => required(metrics, name);
  const changed = m('S') === 'C';
  const iss = 1 - (1 - CIA[m('C')]!) * (1 - CIA[m('I')]!) * (1 - CIA[m('A')]!);
  const impact = changed ? 7.52 * (iss - 0.029) - 3.25 * (iss - 0.02) ** 15 : 6.42 * iss;
  const privileges = (changed ? PRIVILEGES_CHANGED : PRIVILEGES_UNCHANGED)[m('PR')]!;
  const exploitability =
    8.22 * ATTACK_VECTOR[m('AV')]! * ATTACK_COMPLEXITY[m('AC')]! * privileges * USER_INTERACTION[m('UI')]!;
  if (impact <= 0) return 0;
  return roundUp(Math.min((changed ? 1.08 : 1) * (impact + exploitability), 10));
}

/**
 * "Roundup" of CVSS v3.1 Appendix A: the smallest number with one decimal that is ≥ the
 * input, computed on integers so that floating-point noise (4.000000000000001) does not
 * round up. v3.0 defined the same value without that care; the intended result is identical.
 */
export function roundUp(value: number): number {
  const scaled = Math.round(value * 100_000);
  return scaled % 10_000 === 0 ? scaled / 100_000 : (Math.floor(scaled / 10_000) + 1) / 10;
}
