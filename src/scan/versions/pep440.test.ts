import { spawnSync } from 'node:child_process';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compareVersions, isValidVersion } from './compare.js';
import { pep440VersionArb } from './testing/arbitraries.js';
import { ascendingViolations, equalityViolations } from './testing/ordering.js';

// The `packaging` project's ordered list (tests/test_version.py, VERSIONS), epoch 0 half.
const PACKAGING_ORDER = [
  '1.0.dev0',
  '1.0.dev456',
  '1.0.dev456+local',
  '1.0a0',
  '1.0a0.post0.dev0',
  '1.0a0.post0',
  '1.0a1.dev1',
  '1.0a1.dev1+local',
  '1.0a1',
  '1.0a1+local',
  '1.0b0',
  '1.0b1.dev456',
  '1.0b2',
  '1.0b2.post345.dev456',
  '1.0b2.post345',
  '1.0b2-346',
  '1.0rc0',
  '1.0rc1.dev1',
  '1.0c1',
  '1.0rc2',
  '1.0',
  '1.0.post0.dev0',
  '1.0.post0',
  '1.0.post456.dev34',
  '1.0.post456',
  '1.0.post456+local',
  '1.0.1.dev1',
  '1.0.1a1',
  '1.0.1',
  '1.0.1+local',
  '1.0.1.post1',
  '1.1.dev1',
  '1.2+a',
  '1.2+abc',
  '1.2+abcdef',
  '1.2+def',
  '1.2+0',
  '1.2+1',
  '1.2+1.abc',
  '1.2+1.1',
  '1.2+1.1.0',
  '1.2+2',
  '1.2+123',
  '1.2+123456',
  '1.2.r32+123456',
  '1.2.rev33+123456',
];

describe('PEP 440 versions', () => {
  it('orders the packaging project’s reference list, with and without an epoch', () => {
    expect(
      ascendingViolations('pep440', [...PACKAGING_ORDER, ...PACKAGING_ORDER.map((v) => `1!${v}`)]),
    ).toEqual([]);
  });

  it('normalises spellings the specification treats as the same version', () => {
    const groups = [
      [
        '1.0a1',
        '1.0-alpha1',
        '1.0.ALPHA.1',
        '1.0_a_1',
        '1.0alpha-1',
        'v1.0a1',
        ' 1.0a1\n',
        '1.0.0a1',
        '0!1.0a1',
      ],
      ['1.0a0', '1.0a', '1.0-alpha'],
      ['1.0rc1', '1.0c1', '1.0pre1', '1.0-preview-1', '1.0RC1'],
      ['1.0.post1', '1.0-1', '1.0post1', '1.0-r1', '1.0.rev1', '1.0_POST_1'],
      ['1.0.post0', '1.0.post', '1.0-post', '1.0r'],
      ['1.0.dev0', '1.0.dev', '1.0-dev', '1.0dev0'],
      ['1.0+ubuntu.1', '1.0+ubuntu-1', '1.0+UBUNTU_1', '1.0.0+ubuntu.01'],
      ['1.1', '1.01', '1.1.0', '01.1'],
    ];
    for (const group of groups) expect(equalityViolations('pep440', group)).toEqual([]);
  });

  it('rejects versions that are not PEP 440', () => {
    const bad = [
      '',
      'french toast',
      '1.0+a+',
      '1.0++',
      '1.0+_foobar',
      '1.0+foo&asd',
      '1.0+1+1',
      '1.0.',
      '.1',
      '1..0',
    ];
    for (const version of [...bad, '1.0-', '1.0a1b1', '1.0.dev1.post1', 'vv1.0', '0.3m2', '1!', '1.0+']) {
      expect(isValidVersion('pep440', version), version).toBe(false);
    }
  });

  it('orders real PyPI versions (OSV PYSEC records)', () => {
    const lists = [
      [
        '1.7a0',
        '1.7b4',
        '1.8a0',
        '1.8a1',
        '1.8b1',
        '1.8b2',
        '1.8c1',
        '1.9a0',
        '1.9rc1',
        '1.9rc2',
        '1.10a0',
        '1.10rc1',
      ],
      ['0.12.0rc0', '0.12.0rc1', '1.1.0rc0', '1.1.0rc2', '1.2.0rc0', '1.6.0rc0'],
      ['3.1.0.rc1', '3.1.0', '5.4.0.dev0', '5.4.0'],
      ['0.0.1.post1661454534', '0.0.1.post3495668732', '0.0.2'],
    ];
    for (const list of lists) expect(ascendingViolations('pep440', list)).toEqual([]);
    expect(compareVersions('pep440', '3.1.0rc1', '3.1.0.rc1')).toBe(0);
  });

  it('decides PYSEC-2023-74 (requests fixed in 2.31.0)', () => {
    expect(compareVersions('pep440', '2.30.0', '2.31.0')).toBe(-1);
    expect(compareVersions('pep440', '2.31.0rc1', '2.31.0')).toBe(-1);
    expect(compareVersions('pep440', '2.31', '2.31.0')).toBe(0);
    expect(compareVersions('pep440', '2.31.0.post1', '2.31.0')).toBe(1);
  });
});

const packaging = spawnSync('python3', ['-c', 'import packaging.version'], { stdio: 'ignore' }).status === 0;

describe.runIf(packaging)('PEP 440 ordering against the packaging library', () => {
  it('agrees with packaging.version.Version on 3,000 generated pairs', () => {
    const seed = Date.now();
    const pairs = fc.sample(fc.tuple(pep440VersionArb, pep440VersionArb), { numRuns: 3000, seed });
    const script = [
      'import json, sys',
      'from packaging.version import Version',
      'for a, b in json.load(sys.stdin):',
      '    x, y = Version(a), Version(b)',
      '    print(-1 if x < y else 1 if x > y else 0)',
    ].join('\n');
    const result = spawnSync('python3', ['-c', script], { input: JSON.stringify(pairs), encoding: 'utf8' });
    expect(result.status, result.stderr).toBe(0);
    const expected = result.stdout.trim().split('\n').map(Number);
    const disagreements = pairs.filter(([a, b], i) => compareVersions('pep440', a, b) !== expected[i]);
    expect(disagreements, `seed ${seed}`).toEqual([]);
  });
});

if (!packaging) console.warn('python3 with packaging is not installed: skipping the PEP 440 oracle test');
