import { describe, expect, it } from 'vitest';
import {
  type SeverityEvidence,
  advisorySeverity,
  compareSeverity,
  cvssRating,
  parseRating,
} from './severity.js';

const evidence = (overrides: Partial<SeverityEvidence>): SeverityEvidence => ({
  advisoryId: 'X-1',
  affectedSeverity: [],
  recordSeverity: [],
  ...overrides,
});

describe('advisorySeverity', () => {
  it('scores the newest CVSS version an advisory carries', () => {
    const severity = advisorySeverity(
      evidence({
        recordSeverity: [
          { type: 'CVSS_V3', score: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H' },
          { type: 'CVSS_V4', score: 'CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:L/VI:L/VA:L/SC:N/SI:N/SA:N' },
        ],
      }),
    );
    expect(severity).toEqual({
      rating: 'MEDIUM',
      score: 6.9,
      vector: 'CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:L/VI:L/VA:L/SC:N/SI:N/SA:N',
      source: 'CVSS_V4',
      advisory: 'X-1',
    });
  });

  it('prefers the affected entry’s severity to the record’s, as the schema says', () => {
    const severity = advisorySeverity(
      evidence({
        affectedSeverity: [{ type: 'CVSS_V3', score: 'CVSS:3.1/AV:N/AC:H/PR:N/UI:R/S:U/C:L/I:N/A:N' }],
        recordSeverity: [{ type: 'CVSS_V3', score: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H' }],
      }),
    );
    expect(severity).toMatchObject({ rating: 'LOW', score: 3.1 });
  });

  it('skips a vector that does not parse and uses the next', () => {
    const severity = advisorySeverity(
      evidence({
        recordSeverity: [
          { type: 'CVSS_V3', score: 'CVSS:3.1/AV:N' },
          { type: 'CVSS_V2', score: 'AV:N/AC:L/Au:N/C:P/I:P/A:P' },
        ],
      }),
    );
    expect(severity).toMatchObject({ rating: 'HIGH', score: 7.5, source: 'CVSS_V2' });
  });

  it.each<[string, Partial<SeverityEvidence>, string, string]>([
    ['Ubuntu priority', { recordSeverity: [{ type: 'Ubuntu', score: 'medium' }] }, 'MEDIUM', 'Ubuntu'],
    ['Debian urgency (with tracker asterisks)', { ecosystemSpecific: { urgency: 'low**' } }, 'LOW', 'Debian'],
    [
      'Debian "not yet assigned"',
      { ecosystemSpecific: { urgency: 'not yet assigned' } },
      'UNKNOWN',
      'Debian',
    ],
    [
      'GitHub advisory severity',
      { recordDatabaseSpecific: { severity: 'MODERATE', cwe_ids: [] } },
      'MEDIUM',
      'GHSA',
    ],
    [
      'Red Hat impact in an erratum summary',
      { summary: 'Critical: kernel security update' },
      'CRITICAL',
      'Red Hat',
    ],
  ])('falls back to the %s', (_what, overrides, rating, source) => {
    expect(advisorySeverity(evidence(overrides))).toMatchObject({ rating, source, advisory: 'X-1' });
  });

  it('is UNKNOWN without any evidence', () => {
    expect(advisorySeverity(evidence({ summary: 'openssl - security update' }))).toEqual({
      rating: 'UNKNOWN',
      source: 'none',
      advisory: 'X-1',
    });
  });
});

describe('ratings', () => {
  it('bands CVSS scores per the v3/v4 qualitative scale and NVD’s v2 bands', () => {
    expect([0, 0.1, 3.9, 4, 6.9, 7, 8.9, 9, 10].map((s) => cvssRating(s))).toEqual([
      'NONE',
      'LOW',
      'LOW',
      'MEDIUM',
      'MEDIUM',
      'HIGH',
      'HIGH',
      'CRITICAL',
      'CRITICAL',
    ]);
    expect([3.9, 4, 7, 10].map((s) => cvssRating(s, true))).toEqual(['LOW', 'MEDIUM', 'HIGH', 'HIGH']);
  });

  it('orders by rating, then score', () => {
    const high = { rating: 'HIGH' as const, source: 'x' };
    expect(compareSeverity({ ...high, score: 8.1 }, { ...high, score: 7.5 })).toBeGreaterThan(0);
    expect(compareSeverity(high, { rating: 'CRITICAL', source: 'x' })).toBeLessThan(0);
    expect(compareSeverity({ rating: 'UNKNOWN', source: 'x' }, { rating: 'NONE', source: 'x' })).toBeLessThan(
      0,
    );
  });

  it('parses rating names as scanners spell them', () => {
    expect(['High', 'moderate', 'Negligible', 'CRITICAL', 'whatever', undefined].map(parseRating)).toEqual([
      'HIGH',
      'MEDIUM',
      'LOW',
      'CRITICAL',
      'UNKNOWN',
      'UNKNOWN',
    ]);
  });
});
