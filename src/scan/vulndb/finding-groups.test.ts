import { describe, expect, it } from 'vitest';
import { type AdvisoryHit, groupHits, highestSeverity } from './finding-groups.js';

function hit(id: string, fields: Partial<AdvisoryHit> = {}): AdvisoryHit {
  return {
    id,
    aliases: [],
    upstream: [],
    related: [],
    fixed: [],
    severity: { rating: 'UNKNOWN', source: 'none' },
    urls: [],
    ...fields,
  };
}

const ids = (groups: ReturnType<typeof groupHits>) =>
  groups.map((g) => [g.id, [...g.ids].sort(), g.hits.map((h) => h.id)]);

describe('groupHits', () => {
  it('merges advisories that alias each other, transitively, and prefers the CVE as the id', () => {
    const groups = groupHits([
      hit('DEBIAN-CVE-2023-1234', { upstream: ['CVE-2023-1234'] }),
      hit('GHSA-aaaa-bbbb-cccc', { aliases: ['CVE-2023-1234'] }),
      hit('PYSEC-2023-9', { aliases: ['GHSA-aaaa-bbbb-cccc'] }),
      hit('GHSA-zzzz-yyyy-xxxx'),
    ]);
    expect(ids(groups)).toEqual([
      [
        'CVE-2023-1234',
        ['CVE-2023-1234', 'DEBIAN-CVE-2023-1234', 'GHSA-aaaa-bbbb-cccc', 'PYSEC-2023-9'],
        ['DEBIAN-CVE-2023-1234', 'GHSA-aaaa-bbbb-cccc', 'PYSEC-2023-9'],
      ],
      ['GHSA-zzzz-yyyy-xxxx', ['GHSA-zzzz-yyyy-xxxx'], ['GHSA-zzzz-yyyy-xxxx']],
    ]);
  });

  it('joins a bundle advisory to the finding of each CVE it covers', () => {
    const groups = groupHits([
      hit('DSA-1-1', { upstream: ['DEBIAN-CVE-2021-1', 'CVE-2021-1', 'CVE-2021-2'] }),
      hit('DEBIAN-CVE-2021-1', { upstream: ['CVE-2021-1'] }),
    ]);
    expect(ids(groups)).toEqual([
      ['CVE-2021-1', ['CVE-2021-1', 'DEBIAN-CVE-2021-1', 'DSA-1-1'], ['DEBIAN-CVE-2021-1', 'DSA-1-1']],
      ['CVE-2021-2', ['CVE-2021-2', 'DSA-1-1'], ['DSA-1-1']],
    ]);
  });

  it('does not merge vulnerabilities that are only related', () => {
    const groups = groupHits([
      hit('GO-2023-2102', { aliases: ['CVE-2023-39325'], related: ['CVE-2023-44487'] }),
      hit('GHSA-qppj-fm5r-hxr3', { aliases: ['CVE-2023-44487'] }),
    ]);
    expect(groups.map((g) => g.id)).toEqual(['CVE-2023-39325', 'CVE-2023-44487']);
  });

  it('picks the lowest CVE by year and number', () => {
    expect(groupHits([hit('RUSTSEC-1', { aliases: ['CVE-2023-5129', 'CVE-2023-4863'] })])[0]!.id).toBe(
      'CVE-2023-4863',
    );
    expect(groupHits([hit('X-1', { aliases: ['CVE-2021-23840', 'CVE-2021-4160'] })])[0]!.id).toBe(
      'CVE-2021-4160',
    );
  });

  it('keeps the highest severity', () => {
    const severity = highestSeverity([
      hit('A', { severity: { rating: 'MEDIUM', score: 5, source: 'CVSS_V3' } }),
      hit('B', { severity: { rating: 'HIGH', source: 'Debian' } }),
      hit('C', { severity: { rating: 'HIGH', score: 7.5, source: 'CVSS_V3' } }),
    ]);
    expect(severity).toEqual({ rating: 'HIGH', score: 7.5, source: 'CVSS_V3' });
  });
});
