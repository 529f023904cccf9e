import { type CvssParse, type CvssMetrics, parseMetrics, required, roundToTenth } from './vector.js';

/** CVSS v2 base scores (FIRST "A Complete Guide to the CVSS Version 2.0", section 3.2.1). */

const IMPACT = ['N', 'P', 'C'] as const;
const GRAMMAR = {
  mandatory: ['AV', 'AC', 'Au', 'C', 'I', 'A'],
  allowed: {
    AV: ['L', 'A', 'N'],
    AC: ['H', 'M', 'L'],
    Au: ['M', 'S', 'N'],
    C: IMPACT,
    I: IMPACT,
    A: IMPACT,
    E: ['U', 'POC', 'F', 'H', 'ND'],
    RL: ['OF', 'TF', 'W', 'U', 'ND'],
    RC: ['UC', 'UR', 'C', 'ND'],
    CDP: ['N', 'L', 'LM', 'MH', 'H', 'ND'],
    TD: ['N', 'L', 'M', 'H', 'ND'],
    CR: ['L', 'M', 'H', 'ND'],
    IR: ['L', 'M', 'H', 'ND'],
    AR: ['L', 'M', 'H', 'ND'],
  },
};

const ACCESS_VECTOR: Record<string, number> = { L: 0.395, A: 0.646, N: 1 };
const ACCESS_COMPLEXITY: Record<string, number> = { H: 0.35, M: 0.61, L: 0.71 };
const AUTHENTICATION: Record<string, number> = { M: 0.45, S: 0.56, N: 0.704 };
const CIA: Record<string, number> = { N: 0, P: 0.275, C: 0.66 };

/** Parses `AV:N/AC:L/Au:N/C:P/I:P/A:P`, optionally wrapped in parentheses or prefixed `CVSS:2.0/`. */
export function parseCvss2(vector: string): CvssParse {
  const body = vector
    .trim()
    .replace(/^\((.*)\)$/, '$1')
    .replace(/^CVSS:2\.0\//, '');
  if (!body.startsWith('AV:')) return { ok: false, problem: 'a CVSS v2 vector starts with "AV:"' };
  return parseMetrics('2.0', body, GRAMMAR);
}

export function cvss2BaseScore(metrics: CvssMetrics): number {
  const m = (name: string) => required(metrics, name);
  const impact = 10.41 * (1 - (1 - CIA[m('C')]!) * (1 - CIA[m('I')]!) * (1 - CIA[m('A')]!));
  const exploitability =
    20 * ACCESS_VECTOR[m('AV')]! * ACCESS_COMPLEXITY[m('AC')]! * AUTHENTICATION[m('Au')]!;
  const f = impact === 0 ? 0 : 1.176;
  return Math.max(0, roundToTenth((0.6 * impact + 0.4 * exploitability - 1.5) * f));
}
