import { describe, expect, it } from 'vitest';
import { readOsvFixtures } from '../../../test/fixtures/osv-records.js';
import type { OsvRecord } from './osv.js';
import { toAdvisoryRecord } from './osv-normalize.js';
import { validateOsvRecord } from './osv-validate.js';

const base = {
  id: 'GHSA-aaaa-bbbb-cccc',
  modified: '2024-01-02T03:04:05Z',
  affected: [
    {
      package: { ecosystem: 'npm', name: 'left-pad' },
      ranges: [{ type: 'SEMVER', events: [{ introduced: '0' }, { fixed: '1.3.0' }] }],
    },
  ],
};

function withChange(change: (record: Record<string, unknown>) => void): unknown {
  const copy = structuredClone(base) as Record<string, unknown>;
  change(copy);
  return copy;
}

describe('validateOsvRecord', () => {
  it('accepts every real record kept for tests but the secdb entry without a CVE number', async () => {
    const results = (await readOsvFixtures()).map((f) => ({
      name: f.name,
      result: validateOsvRecord(JSON.parse(f.text)),
    }));
    const rejected = results.filter((r) => !r.result.ok).map((r) => r.name);
    expect(rejected).toEqual(['Alpine/ALPINE-CVE-unassigned.json']);
    expect(results.length).toBeGreaterThan(25);
  });

  it.each<[string, (r: Record<string, unknown>) => void, string]>([
    ['a missing id', (r) => delete r.id, '"id" is missing'],
    ['an id with spaces', (r) => (r.id = 'CVE 2024 1'), 'is not an OSV identifier'],
    ['a missing modified', (r) => delete r.modified, '"modified" is missing'],
    [
      'a modified that is no date',
      (r) => (r.modified = 'yesterday'),
      '"modified" "yesterday" is not an RFC 3339 timestamp',
    ],
    ['aliases that are not strings', (r) => (r.aliases = ['CVE-1', 7]), 'aliases must hold only strings'],
    [
      'a package without a name',
      (r) => ((r.affected as { package: { name?: string } }[])[0]!.package.name = ''),
      'affected[0].package.name is missing',
    ],
    [
      'an unknown range type',
      (r) => ((r.affected as { ranges: { type: string }[] }[])[0]!.ranges[0]!.type = 'DATE'),
      'affected[0].ranges[0].type must be SEMVER, ECOSYSTEM or GIT, got "DATE"',
    ],
    [
      'an event with two versions',
      (r) =>
        ((r.affected as { ranges: { events: object[] }[] }[])[0]!.ranges[0]!.events = [
          { introduced: '0', fixed: '1' },
        ]),
      'events[0] needs exactly one of',
    ],
    [
      'a range without introduced',
      (r) => ((r.affected as { ranges: { events: object[] }[] }[])[0]!.ranges[0]!.events = [{ fixed: '1' }]),
      'has no "introduced" event',
    ],
    [
      'severity without a score',
      (r) => (r.severity = [{ type: 'CVSS_V3' }]),
      'severity[0] needs string "type" and "score"',
    ],
  ])('rejects %s', (_what, change, problem) => {
    const result = validateOsvRecord(withChange(change));
    expect(result.ok).toBe(false);
    expect(result.ok ? '' : result.problem).toContain(problem);
  });

  it('rejects a value that is not an object', () => {
    expect(validateOsvRecord([base])).toEqual({ ok: false, problem: 'the record is not a JSON object' });
  });
});

describe('toAdvisoryRecord', () => {
  it('treats the Go zero time as no date, normalises PyPI names and drops GIT ranges', () => {
    const record = {
      id: 'PYSEC-0000-1',
      modified: '0001-01-01T00:00:00Z',
      published: '2023-05-26T18:15:00Z',
      affected: [
        {
          package: { ecosystem: 'PyPI', name: 'Zope.Interface' },
          ranges: [
            { type: 'GIT', repo: 'https://example.com/r', events: [{ introduced: '0' }, { fixed: 'abc' }] },
            { type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '5.0' }] },
          ],
        },
        {
          package: { ecosystem: 'PyPI', name: 'only-git' },
          ranges: [{ type: 'GIT', repo: 'r', events: [{ introduced: '0' }] }],
        },
        { ranges: [{ type: 'GIT', repo: 'r', events: [{ introduced: '0' }] }] },
      ],
    };
    expect(validateOsvRecord(record).ok).toBe(true);
    const advisory = toAdvisoryRecord(record as OsvRecord, JSON.stringify(record));
    expect(advisory.modified).toBeNull();
    expect(advisory.published).toBe('2023-05-26T18:15:00Z');
    expect(advisory.affected).toEqual([
      expect.objectContaining({
        ecosystem: 'PyPI',
        ecosystemBase: 'PyPI',
        name: 'zope-interface',
        ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '5.0' }] }],
      }),
    ]);
    expect(advisory.contentHash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('keys release-scoped ecosystems by their base', () => {
    const record = {
      id: 'X-1',
      modified: '2024-01-01T00:00:00Z',
      affected: [{ package: { ecosystem: 'Ubuntu:Pro:22.04:LTS', name: 'openssl' }, versions: ['1'] }],
    };
    expect(toAdvisoryRecord(record as OsvRecord, JSON.stringify(record)).affected[0]).toMatchObject({
      ecosystem: 'Ubuntu:Pro:22.04:LTS',
      ecosystemBase: 'Ubuntu',
    });
  });
});
